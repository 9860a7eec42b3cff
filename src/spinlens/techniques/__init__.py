"""Propaganda techniques of the Propaganda Techniques Corpus (SemEval-2020 Task 11)."""

from __future__ import annotations

TECHNIQUES: dict[str, str] = {
    "Appeal_to_Authority": "Stating that a claim is true because a valid authority or "
    "expert supports it, without other evidence.",
    "Appeal_to_fear-prejudice": "Seeking support for an idea by instilling anxiety or panic "
    "about an alternative, possibly based on preconceived judgements.",
    "Bandwagon,Reductio_ad_hitlerum": "Persuading to join a course of action because "
    "'everyone else is', or to reject one because a hated group favours it.",
    "Black-and-White_Fallacy": "Presenting two alternatives as the only possibilities when "
    "more exist (false dilemma), including dictatorship ('the only way').",
    "Causal_Oversimplification": "Assuming a single cause or reason when there are multiple "
    "causes behind an issue.",
    "Doubt": "Questioning the credibility of someone or something.",
    "Exaggeration,Minimisation": "Representing something as better or worse than it is, "
    "or downplaying it.",
    "Flag-Waving": "Playing on strong national or group feeling to justify or promote an "
    "action or idea.",
    "Loaded_Language": "Words and phrases with strong emotional implications, used to "
    "influence the audience.",
    "Name_Calling,Labeling": "Labelling the object of the campaign as something the "
    "audience fears, hates or finds undesirable, or loves and praises.",
    "Repetition": "Repeating the same message over and over so that the audience accepts it.",
    "Slogans": "A brief and striking phrase, often acting as an emotional appeal.",
    "Thought-terminating_Cliches": "Short, generic phrases that discourage critical thought "
    "and useful discussion about a topic.",
    "Whataboutism,Straw_Men,Red_Herring": "Discrediting a position by charging hypocrisy, "
    "refuting a distorted version of it, or diverting attention to an irrelevant topic.",
}
"""The 14 technique names exactly as PTC labels them, with one-line definitions."""

NAMES = sorted(TECHNIQUES)

TITLES: dict[str, str] = {
    "Appeal_to_Authority": "Appeal to authority",
    "Appeal_to_fear-prejudice": "Appeal to fear / prejudice",
    "Bandwagon,Reductio_ad_hitlerum": "Bandwagon / reductio ad Hitlerum",
    "Black-and-White_Fallacy": "Black-and-white fallacy",
    "Causal_Oversimplification": "Causal oversimplification",
    "Doubt": "Doubt",
    "Exaggeration,Minimisation": "Exaggeration / minimisation",
    "Flag-Waving": "Flag-waving",
    "Loaded_Language": "Loaded language",
    "Name_Calling,Labeling": "Name calling / labelling",
    "Repetition": "Repetition",
    "Slogans": "Slogans",
    "Thought-terminating_Cliches": "Thought-terminating clichés",
    "Whataboutism,Straw_Men,Red_Herring": "Whataboutism / straw man / red herring",
}
"""What readers see for each technique; the data (JSON, PTC files, filters) keeps the
PTC names."""
