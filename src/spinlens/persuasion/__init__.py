"""Genre, framing and persuasion techniques in the SemEval-2023 Task 3 taxonomy.

The model is trained on research-only data and runs only when the user opts in
(`--research-models`, config `research_models = true`).
"""

GENRES = ("opinion", "reporting", "satire")

FRAMES = (
    "Economic",
    "Capacity_and_resources",
    "Morality",
    "Fairness_and_equality",
    "Legality_Constitutionality_and_jurisprudence",
    "Policy_prescription_and_evaluation",
    "Crime_and_punishment",
    "Security_and_defense",
    "Health_and_safety",
    "Quality_of_life",
    "Cultural_identity",
    "Public_opinion",
    "Political",
    "External_regulation_and_reputation",
)

TECHNIQUES = {
    "Appeal_to_Authority": (
        "Citing an authority as proof of a claim, beyond the authority's expertise or as "
        "the only support."
    ),
    "Appeal_to_Popularity": (
        "Claiming something is right because many or 'everybody' agree with it."
    ),
    "Appeal_to_Values": (
        "Linking an idea to values the audience holds dear (tradition, freedom, religion)"
        " in place of evidence."
    ),
    "Appeal_to_Fear-Prejudice": (
        "Building support by stirring fear or prejudice about an alternative."
    ),
    "Flag_Waving": "Justifying an idea by appeal to pride in, or the good of, a group or nation.",
    "Causal_Oversimplification": "Giving one cause for an outcome that has several.",
    "False_Dilemma-No_Choice": "Presenting two options as the only ones, or one as the only one.",
    "Consequential_Oversimplification": (
        "Claiming a first step will lead to a chain of (usually bad) consequences."
    ),
    "Straw_Man": "Refuting a distorted version of the opponent's position.",
    "Red_Herring": "Diverting attention to an unrelated topic.",
    "Whataboutism": (
        "Discrediting a position by charging the opponent with hypocrisy, without refuting it."
    ),
    "Slogans": "A brief, striking phrase that works as a rallying call.",
    "Appeal_to_Time": "Arguing that the time to act is now (or has come).",
    "Conversation_Killer": "Words that discourage thought and discussion ('end of story').",
    "Loaded_Language": "Words with strong emotional connotations used to sway the audience.",
    "Repetition": "Repeating the same message to make the audience accept it.",
    "Exaggeration-Minimisation": (
        "Making something look larger, better or worse, or smaller and less important, than it is."
    ),
    "Obfuscation-Vagueness-Confusion": (
        "Deliberately unclear wording that lets the audience read what it wants."
    ),
    "Name_Calling-Labeling": (
        "Labelling a person or group with words the audience fears, hates or admires."
    ),
    "Doubt": "Questioning the credibility of someone or something.",
    "Guilt_by_Association": (
        "Attacking something by linking it to a group or person the audience dislikes."
    ),
    "Appeal_to_Hypocrisy": (
        "Attacking an opponent's reputation by charging inconsistency between words and deeds."
    ),
    "Questioning_the_Reputation": (
        "Attacking a person's character or reputation instead of their argument."
    ),
}
"""The 23 persuasion techniques, in the order of the release's techniques_subtask3.txt."""

NAMES = tuple(TECHNIQUES)


def readable(name: str) -> str:
    """A SemEval-2023 label as readers see it: "Appeal_to_Fear-Prejudice" → "Appeal to
    fear / prejudice"."""
    words = name.replace("-", " / ").replace("_", " ")
    return words[:1] + words[1:].lower()


TITLES = {name: readable(name) for name in (*NAMES, *FRAMES)}
"""What readers see for each technique and frame; the data keeps the labels."""
