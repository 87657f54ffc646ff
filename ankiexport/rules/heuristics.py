"""Extraction heuristics: every pattern and threshold the extractors use, named, with its motivation.

Precision comes before recall: a wrong card costs a student more than a missing one, so each rule is
written to reject rather than guess.
"""

from __future__ import annotations

import re

# "Term: definition" paragraphs. The seed's longest term is "Neuromuscular Therapy (NMT)" (3 words);
# six leaves room for "Sequential Compression Device (SCD) Therapy" without admitting sentence openers
# such as "The practice of Neuromuscular Therapy encompasses several methods:".
DEFINITION_TERM_MAX_WORDS = 6
DEFINITION_TERM_MAX_CHARS = 70
# The definition after the colon must be a real sentence: "Pain reduction: Regular sessions can
# significantly decrease chronic pain." has 7 words; 4 rejects "Note: see below."-style asides.
DEFINITION_MIN_WORDS = 4

# A lead before a colon: no sentence punctuation inside it (rejects "…function.It's interesting to
# note the following:" where the colon ends a sentence, not a term), starts with a capital or digit.
LEAD_COLON = re.compile(
    r"(?P<lead>[^\W_][^:.!?;]*?)\s*:\s+(?P<rest>\S.*)",
    re.DOTALL,
)
SENTENCE_END = re.compile(r"[.!?…)\"”»]\s*$")

# A short lead may introduce a short definition when it starts like a sentence: "• Xylem: Tubes carrying
# water." (3 words) is a term and its definition; "Note: see below." stays an aside.
SHORT_LEAD_MAX_WORDS = 3
SHORT_DEFINITION_MIN_WORDS = 3

# A lead must look like a term (a noun phrase), not a clause. Discourse markers open a sentence, they
# name nothing: "In conclusion:", "To sum up:", "Zusammenfassend lässt sich sagen:", "En résumé :",
# "En resumen:"; one-word asides ("Note:", "Tipp:", "Remarque :", "Ojo:") only as the whole lead.
DISCOURSE_LEAD = re.compile(
    r"(?:(?:in (?:conclusion|summary|short|brief|other words|a nutshell|fact|practice)|to (?:sum up|summari[sz]e|"
    r"conclude|be clear|put it simply)|all in all|on the other hand|that said|bottom line|"
    r"summary|fazit|zusammenfassend|abschließend|kurz gesagt|mit anderen worten|im klartext|zum schluss|unterm strich|"
    r"en (?:conclusion|résumé|bref|somme|clair|d['’]autres termes)|pour (?:résumer|conclure|faire court)|"
    r"autrement dit|en (?:conclusión|resumen|definitiva|pocas palabras|otras palabras|síntesis)|"
    r"para (?:resumir|concluir|terminar)|dicho de otro modo|bilan|resumen)(?:\s.*)?"
    r"|note|remember|tip|warning|important|caution|hint|merke|hinweis|tipp|achtung|wichtig|remarque|"
    r"attention|astuce|rappel|nota|ojo|consejo|recuerda|importante|atención)",
    re.IGNORECASE,
)
# A lead that starts with a pronoun, a subordinator or an interjection is a clause: "She added:",
# "As the report states:", "Okay, so far so good:", "Wie der Bericht zeigt:", "Comme l'indique le
# rapport :", "Como señala el informe:".
CLAUSE_OPENER = re.compile(
    r"(?:i|you|he|she|we|they|it|as|when|if|so|okay|ok|well|now|here|there|ich|du|er|sie|wir|ihr|wie|als|wenn|"
    r"also|nun|je|j['’]|tu|il|elle|nous|vous|ils|elles|on|comme|quand|si|donc|alors|voici|voilà|yo|tú|él|ella|"
    r"nosotros|ellos|ellas|como|cuando|pues|bueno|vale|aquí)(?=[\s,'’]|$)",
    re.IGNORECASE,
)
# A lead ending in a verb of saying reports speech: "The minister said:", "Der Sprecher ergänzte:",
# "Le rapport indique :", "La autora añadió:".
SPEECH_LEAD = re.compile(
    r".*\b(?:said|says|added|adds|explained|explains|states|stated|noted|notes|wrote|writes|argued|argues|"
    r"replied|asked|continued|concluded|sagte|sagt|ergänzte|ergänzt|erklärte|erklärt|schreibt|schrieb|betonte|"
    r"betont|meint|meinte|fügte hinzu|a (?:ajouté|dit|expliqué|déclaré|écrit|précisé)|ajoute|explique|déclare|"
    r"écrit|indique|précise|añadió|añade|dijo|dice|explicó|explica|afirmó|afirma|señaló|señala|indica|escribe)",
    re.IGNORECASE,
)
# A stock-exchange prefix is a ticker, not a term: "Hyatt Hotels (NYSE: H) reported …", "NASDAQ: AAPL".
TICKER_LEAD = re.compile(
    r"(?:.*[\s(])?(?:NYSE|NASDAQ|Nasdaq|AMEX|LSE|TSX|ASX|ETR|XETRA|Xetra|FWB|EPA|Euronext|BME|SIX|HKEX|TYO|OTC)",
)
# Interview turns ("Rick: …", "Interviewer: …"): when at least two short leads each open two or more
# paragraphs of one article, they are speakers taking turns, not terms. A term defined twice in one
# article ("Neuromuscular Therapy:" in two chapters of the seed) is one recurring lead, not two.
SPEAKER_MAX_WORDS = 2
SPEAKER_MIN_TURNS = 2
SPEAKER_MIN_SPEAKERS = 2


def is_term_like(lead: str) -> bool:
    """Whether a lead reads as a term (a noun phrase) rather than a clause, a marker or a ticker."""
    if DISCOURSE_LEAD.fullmatch(lead) or CLAUSE_OPENER.match(lead) or SPEECH_LEAD.fullmatch(lead):
        return False
    return not (TICKER_LEAD.fullmatch(lead) or "," in lead or lead.count("(") != lead.count(")"))

# Duplicates: a card whose term is another card's (case and a trailing "(abbreviation)" aside) and whose
# back shares at least this share of its content words with that card's (Jaccard) says nothing new and
# is dropped; the first in article order stays ("• Inflation: Prices rising over time." in a chapter and
# again in the key takeaways). The seed's three "Neuromuscular Therapy" definitions share under a third
# of their words: different wordings in different chapters, each card shows its chapter on the front.
DUPLICATE_MIN_OVERLAP = 0.8

# Paragraphs that illustrate the point before them ("Imagine a person suffering from…",
# "Consider an athlete recovering…", "For example, someone with…"): they go into the Example field
# of the item they illustrate, never into cards of their own.
EXAMPLE_OPENERS = re.compile(
    r"(Imagine|Consider|For example|For instance|E\.g\.|Stell [dD]ir vor|Betrachte|Zum Beispiel|"
    r"Beispielsweise|Imagine[sz]|Considérons|Par exemple|Imagina|Considera|Por ejemplo)\b",
)

# Text-dump headings are bare short lines standing alone between blank lines. The seed's longest is
# "Physiological Basis of Neuromuscular Therapy" (5 words); 12 words still admits long German or
# French titles, while the shortest body paragraphs ("NMT is particularly effective for athletes,
# those with …") run past it or end in a full stop.
HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 100
# A line ending in one of these is a sentence or a lead-in, not a heading (nor a title).
HEADING_TERMINAL = re.compile(r"[.,;:!?]$")

# Bullet glyphs seen in text dumps: "•" (StudySmarter), "-"/"*" (hand-written), "·", "▪".
BULLET_GLYPHS = "•·▪◦-*"
BULLET = re.compile(f"[{re.escape(BULLET_GLYPHS)}]\\s+(?P<text>.*)")

# `*word*` emphasis in text dumps (the seed: "by *releasing tension* in the overstressed…").
EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)(?P<inner>[^*\n]+?)(?<=\S)\*(?![\w*])")


def word_count(text: str) -> int:
    return len(text.split())


def bullet_text(line: str) -> str | None:
    """The text of a bullet line ("• Mitochondria" → "Mitochondria"), or None when it is no bullet."""
    found = BULLET.fullmatch(line)
    return found["text"].strip() if found else None


def unbulleted(line: str) -> str:
    """The line without its bullet glyph, or as it stands when it is no bullet."""
    text = bullet_text(line)
    return line if text is None else text


def split_lead(text: str, *, max_words: int = DEFINITION_TERM_MAX_WORDS) -> tuple[str, str] | None:
    """Split "Lead: rest" when the lead is short enough to be a term, reads as one (:func:`is_term_like`)
    and the rest is a sentence."""
    found = LEAD_COLON.fullmatch(text.strip())
    if not found:
        return None
    lead, rest = found["lead"].strip(), found["rest"].strip()
    if word_count(lead) > max_words or len(lead) > DEFINITION_TERM_MAX_CHARS:
        return None
    if not (lead[0].isupper() or lead[0].isdigit()):
        return None
    short = word_count(lead) <= SHORT_LEAD_MAX_WORDS and rest[0].isupper()
    min_words = SHORT_DEFINITION_MIN_WORDS if short else DEFINITION_MIN_WORDS
    if word_count(rest) < min_words or not SENTENCE_END.search(rest):
        return None
    if not is_term_like(lead):
        return None
    return lead, rest


# Text-dump headings on dense pages (no blank lines at all, like the no-title French page and the
# old app-store header): a line counts as blank-separated when fewer than this share of lines are
# blank, and a heading is then a short bare line followed by a paragraph.
DENSE_PAGE_BLANK_SHARE = 0.1

# Question headings that name a subject ("Was ist Hypothesenbildung in der Informatik?",
# "Qu'est-ce qu'une structure de données de file d'attente ?"). Other short questions standing alone
# ("How can you do this?" in the old English layout) stay body text.
QUESTION_HEADING = re.compile(
    r"(What (is|are)|Was (ist|sind)|Qu['’]est-ce (que|qu['’])|¿?Qué (es|son))\b.{1,90}?\s?\?",
    re.IGNORECASE,
)

# A title line is short and bare like a heading but may be in any case ("neuromuscular therapy").
TITLE_MAX_WORDS = 15

# Paragraphs repeated further down the page (the old layouts print the lead paragraph twice, the
# app-store header shows a teaser cut with "…"): at least this many words before a repeat is dropped,
# so short repeated lines are left alone.
REPEAT_MIN_WORDS = 8
TEASER_END = re.compile(r"(?:…|\.\.\.)$")

# Where a sentence ends inside a line: the cut-off last line of a truncated page ("…mehr als davor.
# Denke da zum Beispiel an Dein Taschengeld, das Du am Anfang vom Monat") keeps what precedes it.
LAST_SENTENCE_END = re.compile(r"[.!?…][\"”»’)]?(?=\s)")

# --- Prose definitions ("A virus, in the simplest terms, is a non-living infectious entity…") -----
# Only a paragraph's first sentence, only when its grammatical subject is the chapter's subject (the
# article title before the first chapter), only in the copula-plus-article form "X is a/the …",
# "X ist ein/eine …", "X est un/une …", "X es un/una …". "Der Softwareentwicklungsprozess ist oft in
# mehrere Phasen unterteilt." (no article after the verb) is a statement about X, not a definition.

# Heading forms that wrap a chapter's subject; applied until none matches, so "Qué es la prueba de
# sistemas: Guía definitiva" → "Qué es la prueba de sistemas" → "la prueba de sistemas".
HEADING_SUBJECT_FORMS: tuple[re.Pattern[str], ...] = (
    # "Neuromuscular Therapy Definition", "X - Definition", "X : Définition", "X einfach erklärt"
    re.compile(r"(?P<subject>.+?)\s*(?:[-–:]\s*)?(?:Definition|Définition|Definición|einfach erklärt|erklärt|"
               r"explained)", re.IGNORECASE),
    # "X: subtitle" ("Qué es la prueba de sistemas: Guía definitiva")
    re.compile(r"(?P<subject>[^:]+?)\s*:\s+\S.*"),
    # "What is X", "Was ist X?", "Qu'est-ce qu'une X ?", "Qué es X"
    re.compile(r"(?:What (?:is|are)|Was (?:ist|sind)|Qu['’]est-ce (?:que|qu['’])|¿?Qué (?:es|son))\s*"
               r"(?P<subject>.+?)\s*\??", re.IGNORECASE),
    # "Definition of X", "Définition de la X", "Understanding X", "Defining Virus and Their Types"
    re.compile(r"(?:Definition of|Définition d[eu]s?|Definición de|Understanding|Defining|Comprendre|Comprender|"
               r"Introduction to|Einführung in)\s+(?P<subject>.+)", re.IGNORECASE),
)
# A heading naming two things ("Defining Virus and Their Types") names each of them.
SUBJECT_CONJUNCTION = re.compile(r"\s+(?:and|und|et|y)\s+", re.IGNORECASE)
# Words ignored when comparing a sentence's subject with the chapter's ("La prueba del sistema" is
# "Pruebas de Sistemas"; "une structure de données en file d'attente" is "structure de données de
# file d'attente").
SUBJECT_FUNCTION_WORDS = frozenset(
    "the a an of in on for to its their "
    "der die das des den dem ein eine einer eines einem einen im vom von zur zum "
    "le la les l d de du des un une en au aux à "
    "el los las del unos unas una al".split()
)
# Two words are the same when equal or when one is the other plus a short ending ("virus"/"viruses",
# "sistema"/"sistemas", "donnée"/"données"), never a different compound ("Hypothese"/"Hypothesenbildung").
SUBJECT_STEM_MIN_CHARS = 4
SUBJECT_ENDING_MAX_CHARS = 3

COPULAS = r"(?:is|are|ist|sind|est|sont|es|son)"
DEFINING_SENTENCE = re.compile(
    r"(?:(?:In|En|Dans|Im)\s[^,]{2,40},\s+)?"  # a leading field: "En informatique, …"
    r"(?P<subject>[^,()]{2,80}?)"
    r"(?:\s*\((?P<abbr>[^()]{1,15})\))?"  # "Named Entity Recognition (NER) ist …"
    r"(?:\s*,\s*[^,]{2,40}\s*,)?"  # an aside: "A virus, in the simplest terms, is …"
    rf"\s+{COPULAS}\s+"
    r"(?P<predicate>(?P<det>an?|the|eine?r?|der|die|das|une?|les?|la|l['’]|el|los|las|una|unos|unas)\b\W*"
    r"(?P<first>\w+)(?:[\s-]+(?P<second>\w+))?.*)",
    re.IGNORECASE | re.DOTALL,
)
# A sentence without a copula between white space cannot be defining: one search for it spares
# DEFINING_SENTENCE trying every split of the subject.
HAS_COPULA = re.compile(rf"\s{COPULAS}\s", re.IGNORECASE)
# Determiners dropped from the front of a term ("A virus" → "Virus", "l'onde" → "onde").
DETERMINERS = frozenset("the a an der die das ein eine le la les un une el los las una l' l’".split())
# An evaluative word right after the article praises X instead of defining it: "Trigger Point Therapy is
# an integral technique in NMT" (the seed), "NER ist ein wichtiges Konzept", "Die Hypothesenbildung
# ist ein zentraler Bestandteil", "X est une notion fondamentale" (French puts it after the noun, so
# the first two words after the article are checked). Matched as word beginnings.
EVALUATIVE = re.compile(
    r"(important|key|central|crucial|essential|fundamental|vital|significant|major|integral|critical|"
    r"fascinating|interesting|powerful|popular|common|useful|great|wichtig|zentral|wesentlich|essen[zt]iell|"
    r"grundlegend|bedeutend|entscheidend|spannend|interessant|importan|essentiel|fondamental|clé|primordial|"
    r"esencial|clave)",
    re.IGNORECASE,
)
# A second verb joined to the main clause means the predicate is not a noun phrase that can stand on
# the back of a card: "Die Glykolyse ist der erste Abschnitt der Zellatmung und läuft im Zellplasma
# ab" would leave "…und läuft im Zellplasma ab". Checked before the predicate's first comma (a relative
# clause may coordinate freely: "…, der Entitäten erkennt und klassifiziert"). German verbs are the
# lower-case words after "und"/"oder" (its nouns are capitalised); other languages list their commonest
# verbs.
COORDINATED_VERB = re.compile(
    r"\b(?:(?:und|oder)\s+(?!(?:zu|dabei|damit|so|auch|nicht|der|die|das|den|dem|des|eine?[mnrs]?)\b)[a-zäöüß]"
    r"|(?:and|but)\s+(?:is|are|was|were|has|have|can|could|may|will|does|do|uses?|helps?|allows?)\b"
    r"|et\s+(?:est|sont|a|ont|peut|peuvent|permet|sert)\b"
    r"|y\s+(?:es|son|está|están|tiene|tienen|puede|pueden|permite|sirve)\b)",
)

# The predicate must say something ("X is a process." says nothing) and stay a crisp sentence.
PROSE_DEFINITION_MIN_WORDS = 5
PROSE_DEFINITION_MAX_WORDS = 60
# A first sentence ends at ". " before a capital, except after these abbreviations ("z. B.", "e.g.").
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"“„«¿¡]?[A-ZÄÖÜÀ-ÝÉ])")
ABBREVIATIONS = frozenset("z.b. b. z. e.g. i.e. vs. bzw. ca. etc. dr. prof. usw. d.h. u.a. p.ex. ej. s. m.".split())

# --- Evidence for answer-less quiz questions (evidence.py) ------------------------------------------

# Sentence ends: ". ", "! ", "? " before a capital, digit, quote or bracket. "…function.It's" (no
# space, in the seed) stays one sentence: a missed split costs a longer passage, a wrong one a cut.
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"“(<\[]?[A-Z0-9ÄÖÜÀ-Ý])")
# How many passages a card shows. The seed's quiz questions each have one passage that answers
# them and one or two that restate it; a fourth is noise ("…mild dizziness or headache following a
# session" matches "Which of the following…" on "following" alone).
EVIDENCE_MAX_PASSAGES = 3
# A passage scoring under this share of the best one is left out (that dizziness sentence scores
# about a third of the core-principles passage for the first seed question).
EVIDENCE_MIN_SHARE = 0.5
# A paragraph longer than this is cut to the matching sentence and EVIDENCE_WINDOW sentences either
# side: the seed's 130-word "Neuromuscular Therapy not only targets the muscles…" paragraph is too
# long to read on a card back, its 75-word proprioceptors paragraph is not.
EVIDENCE_PASSAGE_MAX_WORDS = 90
EVIDENCE_WINDOW = 1
# An answer-less question gets a card only when one passage clearly answers it: the passage holds at
# least this share of the question's asked terms (its terms other than the article title's, or a
# synonym of each) — "What is the impulse?" on a page titled "Momentum Change and Impulse" asks
# nothing the title does not, and every sentence of the page mentions impulse …
EVIDENCE_MIN_ASKED_SHARE = 0.5
# … and its best sentence outscores the best one of every other passage by this factor. The seed's
# three questions clear it (about 1.5, 1.8 and 1.6: core principles, the balance of nervous and
# musculoskeletal systems, proprioceptors); "Quelle est l'unité de la résistance ?" between two
# passages that both name the resistance (about 1.1) does not, and is skipped with a warning.
EVIDENCE_CLEAR_MARGIN = 1.25
# A carousel or quiz line that is not a question ("Impulse is a scalar quantity.", false on its page)
# is a statement of unknown truth: without a teacher's answer key it never becomes a card.
QUESTION_END = re.compile(r"\?\s*$")
# Words questions use for what articles say otherwise. The seed asks "What is the main goal of
# Neuromuscular Therapy?" and answers "At its core, Neuromuscular Therapy aims to balance…": without
# these, "goal" matches only "…with the goal of alleviating pain" in a definition.
QUESTION_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "goal": ("aim", "purpose", "objective"),
        "aim": ("goal", "purpose", "objective"),
        "purpose": ("aim", "goal", "objective"),
        "main": ("core", "central", "primary", "principal"),
    },
}

# --- Question headings ("Wie entsteht Erdöl?", "What is Rust?") -------------------------------------
# A chapter heading that asks, in one of these words, is answered by the chapter's opening paragraph.
# Rhetorical one-word headings ("Ready?") and headings that do not open with a question word stay
# chapters only.
QUESTION_OPENER = re.compile(
    r"(?:¿\s*)?(?:What|Why|How|When|Where|Who|Which|Is|Are|Can|Does|Do|"
    r"Was|Wie|Warum|Wieso|Weshalb|Woher|Wohin|Wo|Wann|Wer|Welche[rsmn]?|Ist|Sind|Kann|"
    r"Qu['’]est-ce|Pourquoi|Comment|Quand|Où|Qui|Quel(?:le)?s?|Combien|"
    r"Qué|Por qué|Cómo|Cuándo|Dónde|Quién(?:es)?|Cuál(?:es)?|Cuánto)\b",
    re.IGNORECASE,
)
QUESTION_HEADING_MAX_WORDS = 14
# Two questions in one ("What is Rust and why is it so popular?") want two answers; one paragraph
# gives at most one of them.
DOUBLE_QUESTION = re.compile(
    r"\b(?:and|und|et|y)\s+(?:what|why|how|when|where|who|was|warum|wie|wann|wo|wer|pourquoi|comment|quand|où|"
    r"qui|por qué|cómo|cuándo|dónde|quién|qué)\b", re.IGNORECASE)
# A question line addressed to the reader ("How can you do this?") is a turn of speech or an
# interview question, not a heading: only a heading-tagged chapter may ask that way.
ADDRESSED = re.compile(r"\b(?:you|your|du|dich|dir|euch|Sie|Ihnen|vous|tu|te|toi|usted|ustedes|tú)\b", re.IGNORECASE)
# The answer on the back: the opening paragraph's first sentences up to this many words, so the
# card stays one answer, not the whole chapter. A first sentence longer than this is no card.
QUESTION_ANSWER_MAX_WORDS = 60
QUESTION_ANSWER_MIN_WORDS = 5
# A question title is answered by one of the intro's first paragraphs (a byline or a picture credit
# may come before the first real one).
TITLE_ANSWER_PARAGRAPHS = 3
TITLE_ANSWER_SUBJECT_WORDS = 5
# A paragraph opening with a connective ("But Netanyahu's victory …") continues an argument: it
# answers nothing on its own.
CONTINUATION_OPENER = re.compile(
    r"(?:But|And|Yet|So|However|Aber|Doch|Und|Jedoch|Mais|Et|Or|Pourtant|Pero|Y|Sin embargo)\b", re.IGNORECASE)

# --- List cards ("Key benefits of X include:") ---------------------------------------------------
# A list is short enough to recall: two to this many items, each at most this many words (longer
# bullets are explanations, not items to name).
LIST_MIN_ITEMS = 2
LIST_MAX_ITEMS = 7
LIST_ITEM_MAX_WORDS = 15
# A lead-in is a sentence ending in ":" of at least this many words, with the sentence before it when
# it opens on a pronoun ("Die üblichen Phasen sind:" does not say of what).
LIST_LEAD_MIN_WORDS = 5
# A longer lead-in is an argument that happens to end in a list ("Piling all these requirements on
# top of each other … the following levels of complexity:"), not a prompt.
LIST_LEAD_MAX_WORDS = 24
# A list whose words are mostly in one takeaway already is that takeaway's near-copy.
LIST_NEAR_COPY_SHARE = 0.7
# A lead-in that opens with a pronoun ("These techniques help in:") names its subject in the
# sentence before, which the front then shows too.
LIST_LEAD_PRONOUN = re.compile(
    r"(?:These|This|They|It|Those|Diese[rsn]?|Dies|Sie|Es|Ces|Cela|Ils|Elles|Il|Elle|Estos|Estas|Esto|Ellos|Ellas)\b")
# A lead-in announces a list in so many words ("several methods", "Key benefits … include",
# "deux opérations"); "zwei Moleküle Pyruvat:" over two phases announces none.
LIST_CUE = re.compile(
    r"\b(?:several|various|variety|many|following|include|including|these|kinds|types|ways|steps|methods|"
    r"techniques|benefits|advantages|principles|levels|categories|forms|features|reasons|factors|"
    r"mehrere|verschiedene[nr]?|folgende[nr]?|diese|Arten|Schritte|Vorteile|Faktoren|Methoden|Phasen|"
    r"Möglichkeiten|Gründe|Bedingungen|plusieurs|suivant(?:e?s)?|étapes|méthodes|avantages|opérations|"
    r"formes|varios|varias|siguientes|tipos|pasos|métodos|ventajas|formas|operaciones)\b",
    re.IGNORECASE,
)
# A lead-in ending on a pronoun ("There are two advantages to use it:") names its subject elsewhere.
LIST_LEAD_PRONOUN_END = re.compile(r"\b(?:it|this|them|es|sie|dies|le|la|les|cela|lo|los|esto)\s*:$", re.IGNORECASE)
# A count in the lead-in must be the number of items ("Hay tres formas …:" over two bullets is cut).
LIST_COUNTS = {word: n for n, words in enumerate(
    ("", "", "two zwei deux dos", "three drei trois tres", "four vier quatre cuatro", "five fünf cinq cinco",
     "six sechs seis", "seven sieben sept siete")) for word in words.split()}

# --- Apposition definitions ("… sensory receptors called proprioceptors, which …", "… trigger
# points, which are tight areas …") and process sentences ("Trigger points are formed when …") ----
# "called X" names a term in the middle of a sentence; the sentence without it defines the term.
# Only where a relative clause follows, so the back says what X does or is, not just where it is;
# never one in the past tense ("a system called Workqueue, which was built for …" tells a story).
CALLED_TERM = re.compile(
    r"\b(?:called|known as|termed|genannt|appelée?s?|nommée?s?|llamad[oa]s?|denominad[oa]s?)\s+"
    r"(?P<term>[^\W\d_][\w-]*(?:\s[\w-]+){0,2}?)(?=,\s+(?:which|that|die|der|das|qui|que)\s+"
    r"(?!(?:was|were|had|did|war|waren|hatte|était|étaient|avait|era|eran|fue|tenía)\b))",
    re.IGNORECASE,
)
# "X, which are …": the noun phrase before the comma (at most three words, back to a function word
# or a verb form) is defined by the copula's noun phrase (no past participle: "which are designed to").
# It starts where a clause does, else every start within a long clause rescans it.
WHICH_ARE = re.compile(
    r"(?:^|(?<=[,;:]))(?P<before>[^,;:]+?),\s+(?:which|die|qui|que)\s+(?P<copula>is|are|sind|ist|sont|est|son|es)\s+"
    r"(?P<predicate>(?!(?:\w+ed|also|not|often|usually|used|made|known|nicht|oft|souvent|pas)\b)[^,;]{10,160})"
    r"(?=[.;]|$)",
)
APPOSITION_TERM_MAX_WORDS = 3
# A term mentioned once is not what the page teaches: it must come up again elsewhere on the page.
APPOSITION_TERM_MIN_MENTIONS = 2
# "X are formed when …" / "X entsteht, wenn …" asks how X forms; the sentence answers.
FORMED_WHEN = re.compile(
    r"(?P<term>[^\W\d_][\w\s-]{2,50}?)\s+(?P<verb>(?:is|are)\s+(?:formed|created|caused)|entsteh(?:t|en),?|"
    r"se forment?|se forman?)\s+(?P<how>(?:when|by|through|if|wenn|durch|quand|lorsque|par|cuando|por)\b.{10,200})",
)
FORMED_PROMPTS = {"en": "How {are} {term} {formed}?", "de": "Wie {are} {term}?", "fr": "Comment {are} {term} ?",
                  "es": "¿Cómo {are} {term}?"}
# "X is particularly effective for athletes, …" asks whom X suits, when the sentence names people.
SUITED_FOR = re.compile(
    r"(?P<term>[^\W\d_][\w\s'’-]{1,50}?)\s+(?P<copula>is|are|ist|sind|est|sont|es|son)\s+"
    r"(?P<adv>particularly|especially|besonders|particulièrement|especialmente|particularmente)\s+"
    r"(?P<adj>effective|beneficial|helpful|useful|suited|suitable|wirksam|geeignet|hilfreich|nützlich|"
    r"efficaces?|utiles?|bénéfiques?|eficaz|eficaces|útil|útiles|beneficios[oa]s?)\s+"
    r"(?P<prep>for|für|pour|para)\s+(?P<who>.{10,200})",
)
SUITED_PEOPLE = re.compile(
    r"\b(?:athletes|people|patients|individuals|those|children|students|adults|women|men|anyone|beginners|"
    r"Menschen|Patienten|Personen|Kinder|Sportler(?:innen)?|Schüler(?:innen)?|Erwachsene|"
    r"personnes|enfants|sportifs|adultes|élèves|personas|pacientes|niños|deportistas|adultos|alumnos)\b",
)
SUITED_PROMPTS = {"en": "Who {copula} {term} {adv} {adj} for?", "de": "Für wen {copula} {term} {adv} {adj}?",
                  "es": "¿Para quién {copula} {term} {adv} {adj}?"}

# --- Cloze notes ("The {{c1::mitochondrion}} is …") ----------------------------------------------
# A term the page emphasises (<strong>, <b>, <em>; *word* in dumps) becomes the gap of the sentence
# it stands in: a short term, in a complete sentence that can stand alone on a card.
EMPHASISED = re.compile(r"<(strong|b|em)>(?P<inner>[^<>{}]{2,80})</\1>")
# Emphasis on the web mostly stresses words or sets titles off, so the term must also be what the
# sentence defines: its subject before "is a/the …" ("<b>Neon lighting</b> is a catchall term …"),
# or the name after "called" / "known as".
CLOZE_DEFINED_AFTER = re.compile(
    r"\s*(?:\([^()]{1,40}\)\s*)?(?:,[^,]{2,40},\s*)?\s(?:is|are|ist|sind|est|sont|es|son)\s+"
    r"(?:an?|the|eine?|der|die|das|une?|l[ea]s?|el|los|una)\s+(?P<first>\w+)",
    re.IGNORECASE,
)
CLOZE_NAMED_BEFORE = re.compile(
    r"\b(?:called|known as|termed|genannt|appelée?s?|nommée?s?|llamad[oa]s?|denominad[oa]s?)\s*$", re.IGNORECASE)
CLOZE_TERM_MAX_WORDS = 4
CLOZE_SENTENCE_MIN_WORDS = 6
CLOZE_SENTENCE_MAX_WORDS = 40

# --- Glossary tables and <abbr title> expansions ---------------------------------------------------
# A table is a glossary when every row has two cells, a short term and a meaning in words (data
# tables pair names with numbers or dates: "4.2.3 | April 2014"), with at least this many rows.
GLOSSARY_TABLE_MIN_ROWS = 2
GLOSSARY_MEANING_MIN_WORDS = 3
# An optional first row naming the columns ("Term | Meaning", "Begriff | Bedeutung").
GLOSSARY_HEADER = re.compile(
    r"(?:term|word|abbreviation|begriff|wort|abkürzung|terme|mot|sigle|término|palabra|sigla)s?",
    re.IGNORECASE,
)
# An <abbr title> is a card when its letters are the initials of the title's words ("ISSN":
# "International Standard Serial Number"); "required" on "*" or a date on "12:06 PM" is markup.
ABBR = re.compile(r'<abbr title="(?P<title>[^"<>]{3,120})">(?P<abbr>[^<>]{2,12})</abbr>')
# Reference sections cite; their abbreviations are not what the page teaches.
REFERENCE_CHAPTER = re.compile(
    r"(?:References|Notes|Sources|Bibliography|Further reading|External links|Einzelnachweise|Literatur|"
    r"Weblinks|Quellen|Anmerkungen|Références|Notes et références|Bibliographie|Liens externes|Referencias|"
    r"Notas|Bibliografía|Enlaces externos)",
    re.IGNORECASE,
)
