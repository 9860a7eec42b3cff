"""Small word lists the attribution rules use."""

from __future__ import annotations

from functools import cache
from importlib import resources


def words(text: str) -> frozenset[str]:
    """A word list written as one string."""
    return frozenset(text.split())


CUE_VERBS = words(
    "acknowledge add admit affirm agree allege announce argue ask assert believe boast "
    "caution claim clarify comment complain concede conclude confirm contend continue "
    "declare demand deny emphasise emphasize estimate explain fear find hope indicate "
    "insist learn maintain mention note observe pledge point post predict promise recall "
    "reiterate remark reply report respond reveal say show state stress suggest tell "
    "testify think threaten tweet underline urge vow warn worry write"
)
"""Lemmas of speech and cognition verbs that introduce attributed content."""

SPEECH_VERBS = words(
    "acknowledge add address admit affirm allege announce answer argue assert claim clarify "
    "comment concede conclude confirm continue declare deny emphasise emphasize explain "
    "insist mention note point post recall reiterate remark reply report respond reveal "
    "say state stress tell testify tweet underline warn write"
)
"""Lemmas of cues that report speech (not thought, wish or perception): the rest of a
paragraph after one of them is the speaker's, and attributions in it are by their
account."""

CONTENT_ONLY_WITH_CLAUSE = words(
    "agree believe demand estimate fear find hope indicate learn point show think urge worry"
)
"""Cue verbs accepted only with a clausal complement (not with a colon or comma)."""

HONORIFICS = words(
    "amir ayatollah brother capt captain chairman col colonel commander dr emir "
    "excellency father gen general gov governor haji hajj her highness his imam judge "
    "justice king lady lieutenant lord lt maj major martyr minister miss mr mrs ms mufti "
    "mullah president prince princess prof professor queen rep representative rev "
    "reverend sayed sayyed sayyid sen senator sergeant seyed sgt shaykh sheik sheikh sir "
    "sister"
)
"""Titles dropped when comparing names."""

NAME_PARTICLES = words("abu ad al an ar as at az bin bint da de di el ibn ul van von")
"""Particles of transliterated and European names, dropped when comparing names."""

PERSON_PRONOUNS = words("he her hers him his i me she us we")

PLURAL_PRONOUNS = words("them they")

THING_PRONOUNS = words("it")

RELATIVE_PRONOUNS = words("that which who whom")

PERSON_NOUNS = words(
    "activist adviser advisor aide ambassador analyst anchor attorney author ayatollah "
    "billionaire businessman campaigner candidate chair chairman chairwoman chief cleric "
    "coach commander congressman congresswoman deputy director emir envoy expert father "
    "founder general governor governor-general head host imam king lawmaker lawyer leader "
    "man manager mayor minister mother nominee official premier president prime prince "
    "professor representative ruler scientist secretary senator sheikh speaker spokesman "
    "spokesperson spokeswoman woman executive ceo officer negotiator prosecutor judge "
    "economist researcher doctor commissioner inspector editor journalist reporter "
    "correspondent historian bishop priest rabbi pope chancellor councillor councilor "
    "legislator delegate strategist consultant advocate organiser organizer coordinator "
    "superintendent sheriff colonel captain lieutenant sergeant counsel"
)
"""Head nouns of nominal mentions of a person ("the minister", "this leader of …")."""

ORG_NOUNS = words(
    "administration agency army association bank campaign channel coalition committee "
    "company council court department firm government group magazine ministry movement "
    "network newspaper office organisation organization outlet paper party police station "
    "union website authority board commission parliament senate institute federation "
    "alliance bureau service foundation university hospital regulator watchdog "
    "corporation operator airline embassy cabinet regime military tribunal"
)
"""Head nouns of nominal mentions of an organisation ("the agency", "the ministry")."""

ANY_ORG_NOUNS = words("company corporation firm group organisation organization")
"""Organisation nouns that fit any organisation, whatever its name."""

REPORT_NOUNS = words(
    "announcement interview letter message post release report speech statement tweet"
)
"""Heads of sources that stand for their author ("the report of X News Agency")."""

DEFINITE = words("her his its that the their these this those")

XCOMP_CUES = words("promise vow pledge threaten refuse decline plan hope expect urge ask")
"""Cue verbs whose infinitive complement is attributed content ("vowed to fight")."""

FEMALE_WORDS = words(
    "actress chairwoman congresswoman countess daughter duchess empress girl grandmother "
    "lady madam mademoiselle miss mother mrs ms princess queen sister spokeswoman "
    "stateswoman wife woman"
)
"""Titles and role nouns of a woman (for "she" never to go to a man)."""

MALE_WORDS = words(
    "boy brother businessman chairman congressman duke emperor father grandfather "
    "husband king lord man mr prince sir son spokesman statesman"
)
"""Titles and role nouns of a man."""

GENERIC_NOUNS = words(
    "analyst critic expert insider observer official opponent people person resident "
    "source supporter witness voter activist lawmaker diplomat investigator"
)
"""Heads of generic sources when indefinite or plural ("a senior official", "critics")."""

GENERIC_WORDS = words(
    "a an another any anybody anyone both each everybody everyone few many most nobody "
    "no one others several some somebody someone various"
)
"""Determiners and pronouns of a generic source ("some", "many analysts", "someone")."""


@cache
def first_names() -> dict[str, str]:
    """First name (casefolded) → "f" or "m", built from GAP's development and
    validation sets by training/build_name_genders.py."""
    table = resources.files("spinlens") / "models" / "genders" / "first_names.tsv"
    rows = table.read_text(encoding="utf-8").splitlines()[1:]
    return {name: gender for name, gender, _ in (row.split("\t") for row in rows if row)}
