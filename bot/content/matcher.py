"""From the way a clinician types ("pt followed me on insta") to a situation key.

Order: crisis wording, the exact key, an alias, then scoring. A query is first normalised:
lowercased, shorthand expanded (pt, fb, ig, dm, tt, kms, ex-client, "@'d"), and typos corrected
against the catalogue's own vocabulary plus the cue vocabulary below. Each situation then scores by
three kinds of evidence, added up:

- likeness: the best fuzzy likeness between the query's content words and the situation's aliases
  and example phrasings (this is how practice-added situations take part);
- keywords: a bonus per keyword of the situation found in the query (capped);
- cues: who does what to whose content, read from the word order ("followed me", "my client's
  instagram", "i posted ... regret", "colleague ... posted", "policy ... wording"). Words alone
  mislead ("wedding" is an invitation in "her wedding", a found profile in "saw my wedding pics"),
  so cues look at the neighbours of a word, not only at the word.

Clinical rules on top:

- crisis wording always wins (a high-recall net: clinical, slang, method, place, farewell and
  burden wording, danger to or from others; no negation handling, since "not suicidal, but..." still
  deserves the crisis steps first): a missed crisis post is the one mistake we cannot afford, so a query
  with crisis words (direct or indirect: "goodbye post", "not wanting to be here", "won't be around")
  answers `crisis-post`; the generic words "crisis"/"emergency" give way only to a clear policy
  question ("consent form crisis section");
- "former", "ex-", "used to see", "years ago" turn a request, message, invitation, tag or comment
  into `former-client`, because the rules after therapy ends differ; they do not change a topic
  that stays the same after therapy (a review, a search, a crisis, a policy).

An answer is given only with evidence beyond likeness (a cue or a keyword, or a near-exact example),
above a confidence threshold, and clearly ahead of the runner-up, or when one strong cue stands alone
(no other situation has a cue worth the name); otherwise the answer is "not sure" with the closest
keys, because a wrong script is worse than a question back.

A learned model (`model.py`, trained by `scripts/train_matcher.py`) reads the query only when the rules
are "not sure": hand-written cues do not carry to a new author's wording, and a model over words and
character grams does better there. It answers crisis-post when crisis is likely enough (lean crisis),
any other key only when its probability and its margin over the runner-up pass thresholds calibrated so
wrong answers stay rare, and otherwise orders the "not sure" suggestions together with the rules. The
crisis net, exact keys and aliases, and every confident rules answer come first and are never changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.content.catalogue import Catalogue
from bot.content.model import Model, load_model

#: Shorthand clinicians use, expanded before matching (whole words only).
SHORTHAND: dict[str, str] = {
    "pt": "client",
    "pts": "clients",
    "patient": "client",
    "patients": "clients",
    # Other names for the person in care: school, NHS, addictions and inpatient wording.
    "student": "client",
    "students": "clients",
    "pupil": "client",
    "pupils": "clients",
    "tinder": "dating app",
    "cl": "client",
    "clt": "client",
    "clients'": "clients",
    "fb": "facebook",
    "ig": "instagram",
    "insta": "instagram",
    "gram": "instagram",
    "snap": "snapchat",
    "sc": "snapchat",
    "x": "twitter",
    "twt": "twitter",
    "tt": "tik tok",
    "tiktok": "tik tok",
    "tiktoks": "tik tok videos",
    "yt": "youtube",
    "li": "linkedin",
    "wa": "whatsapp",
    "gmail": "email",
    "hotmail": "email",
    "hinge": "dating app",
    "bumble": "dating app",
    "grindr": "dating app",
    "okcupid": "dating app",
    "dm": "direct message",
    "dms": "direct messages",
    "dmed": "direct messaged",
    "dmd": "direct messaged",
    "dming": "direct messaging",
    "pm": "direct message",
    "pms": "direct messages",
    "pmd": "direct messaged",
    "pmed": "direct messaged",
    "pming": "direct messaging",
    "msg": "message",
    "msgd": "messaged",
    "msged": "messaged",
    "msgs": "messages",
    "txt": "text",
    "txted": "texted",
    "txtd": "texted",
    "txting": "texting",
    "txts": "texts",
    "whatsappd": "messaged on whatsapp",
    "whatsapped": "messaged on whatsapp",
    "vm": "voicemail",
    "ex": "former",
    "exclient": "former client",
    "expt": "former client",
    "fr": "friend request",
    "req": "request",
    "reqs": "requests",
    "rqst": "request",
    "acct": "account",
    "accts": "accounts",
    "acc": "account",
    "bday": "birthday",
    "bbq": "barbecue",
    "googled": "google",
    "googling": "google",
    "googles": "google",
    "sm": "social media",
    "socials": "social media",
    "u": "you",
    "ur": "your",
    "r": "are",
    "w/": "with",
    "w": "with",
    "bc": "because",
    "b/c": "because",
    "abt": "about",
    "re": "about",
    "pls": "please",
    "plz": "please",
    "rn": "right now",
    "ppl": "people",
    "yr": "year",
    "yrs": "years",
    "mo": "month",
    "mos": "months",
    "wk": "week",
    "wks": "weeks",
    "convo": "conversation",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "vid": "video",
    "vids": "videos",
    "si": "suicidal",
    "sh": "self harm",
    "selfharm": "self harm",
    "kms": "kill myself",
    "kys": "kill yourself",
    "unalive": "kill",
    "unaliving": "killing",
    "od": "overdose",
    "od'd": "overdosed",
    "odd": "overdosed",
    "pics": "pictures",
    "pic": "picture",
    "hangout": "hang out",
    "testimonials": "testimonial",
    "reviews": "review",
    "rvw": "review",
    "rvws": "review",
    "evite": "invite",
    "evites": "invites",
    "mate": "friend",
    "mates": "friends",
    "linked": "linked",
    "pinged": "messaged",
    "ping": "message",
    "pings": "messages",
    "pinging": "messaging",
    "kudos": "likes",
}

#: Words that say nothing about which situation it is; they are left out of the fuzzy comparison so
#: "my client" alone does not look like every example at once.
_STOP_TEXT = (
    "a an the my me i i'm im to of on in at for with and or is it its this that be was were are am "
    "has have had do does did what how should can could would will just so our we you your her his "
    "their them him she he they client clients therapy session someone one now ok okay if about from "
    "there here any some very really please when get got keeps keep lol lmao omg ugh hmm hey hi hello "
    "thanks thank quick question q help urgent fyi"
)
STOPWORDS: frozenset[str] = frozenset(_STOP_TEXT.split())

#: Medicines and drugs a client could take too much of: a "means" word for the crisis families.
_DRUGS: frozenset[str] = frozenset(
    {
        "sertraline", "fluoxetine", "prozac", "zoloft", "citalopram", "escitalopram", "lexapro",
        "paroxetine", "venlafaxine", "effexor", "mirtazapine", "amitriptyline", "quetiapine",
        "seroquel", "olanzapine", "lithium", "lamotrigine", "diazepam", "valium", "lorazepam", "ativan",
        "clonazepam", "klonopin", "alprazolam", "xanax", "zopiclone", "ambien", "zolpidem",
        "paracetamol", "tylenol", "acetaminophen", "ibuprofen", "oxycodone", "oxy", "oxys", "fentanyl",
        "heroin", "codeine", "tramadol", "methadone", "insulin", "benzos", "opioids", "opiates",
        "painkillers", "antidepressants", "sleepers"
    }
)

#: Everyday words the typo corrector must leave alone: without them "better" became "beer", "stuff"
#: "staff" and "working" "wording", each one a step toward a wrong script. The catalogue's own
#: clinical text adds more at start.
_COMMON_TEXT = (
    "about above across act after again against ago all almost alone along already also always among "
    "angry another answer anymore anyone anything anyway apart app apps around art ask asked asking "
    "aware away back bad bath bed been before began begin behind being believe below best better "
    "between big bio bit black blood body book boss both bought boundary boundaries boy break bring "
    "broke brother brought build busy but buy call called calling came cant care careful carry case "
    "cat caught cause change check child city class clean clear close closed cold come comes coming "
    "cool couple course cover cross cry cut dad dark day days dead deal dear death decide deep did didnt "
    "died different dinner doesnt dog doing done dont door down dream drink drive drop during each "
    "early easy eat else end ended ending enough even evening ever every everyone everything exactly "
    "face fact fair fall family far fast father fear feel feeling feelings fell felt few fight fill "
    "final finally fine fire first fit five fix floor food forever forget form forward four free "
    "fresh front full fun funny game gave gift girl give given giving glad goes going gone good great "
    "group grow guess guy hair half hand happen happened happy hard hate head hear heard heart held "
    "here high hold home hope hot hour hours house hurt idea ill important inside instead isnt job "
    "join joke keep kept kid kind knew know known large last late later laugh learn least leave left "
    "less let letter life light likely line list listen little live lived living long longer look "
    "lose lost lot loud love low made mad main make making man many mark matter may maybe mean means "
    "meant mind mine minute miss missed moment money month more morning most mother move much must "
    "name near need needs never new news next nice night nobody none normal note nothing notice number "
    "off office often old once only open order other others out outside over own page paper parent "
    "part pass past pay people person pick place plan play point poor power pretty problem put quite "
    "rather reach ready real reason red rest right room round run sad said same save saw say saying "
    "says school second see seem seemed seems seen self sell send sense sent set seven share she'll "
    "short show shut sick side sign simple since sister sit six sleep slow small smile soft some "
    "something sometimes soon sorry sort sound sounds speak spend spent stand start stay step still "
    "stop stopped story strange street strong stuck stuff such sure take taken taking talk talked "
    "tell than that then these thing things think third those though thought three through time "
    "tired today together told tomorrow tonight too took top toward town tried true try trying turn "
    "two under understand until upon upset used using usual visit wait walk wall want wanted wants "
    "warm watch water way week weekend weird well went whatever where whether which while white who "
    "whole whose why wife wish without woman wonder wont word words work worked working world worried "
    "worry worse worst wrong year yes yesterday yet young billing bill invoice insurance schedule "
    "reschedule cancel calendar password login weather taxes meeting zoom telehealth link notes "
    "superbill claim copay referral referrals supervision hours license ceu training treatment "
    "diagnosis plan intake office wifi printer parking payroll "
    "test tests testing tested psychologist psychologists psychiatrist counsellor counselor therapist "
    "therapists nurse nurses placement trainee student students caseload ward unit hospice recovery "
    "machine broken username usernames handle handles server servers routes route reading listing "
    "tracked recommended recommendation kudos snarky rude drunk heated worried lyrics poem playlist "
    "status square tank empty affairs peace toddler infant newborn fainted eaten starving ligature "
    "train trains station building woods forest river shotgun rifle bullets vodka whiskey compass sunset "
    + " ".join(sorted(_DRUGS)) + " "
    # Negations: "havent" must never be "corrected" to "have" ("haven't seen her in years").
    "havent hasnt hadnt didnt doesnt dont wont cant isnt arent wasnt werent shouldnt wouldnt couldnt"
)
COMMON_WORDS: frozenset[str] = frozenset(_COMMON_TEXT.split())
_SUFFIXES: tuple[str, ...] = ("ing", "ed", "es", "s", "d", "ly", "er")

CRISIS_KEY = "crisis-post"
FORMER_KEY = "former-client"
POLICY_KEY = "policy-clause"
#: A policy cue this strong makes the query a question about wording, whatever topic it names.
FRAME_STRENGTH = 40.0
FRAME_DAMPING = 0.7
#: Topics that stay the same after therapy ends: "former" does not pull these to `former-client`.
TOPICS: frozenset[str] = frozenset(
    {"review-request", "client-search", "regretted-post", "colleague-post", "policy-clause", "crisis-post"}
)
#: A cue this strong answers on its own when no other situation has a cue above LONE_RIVAL.
LONE_CUE = 32.0
LONE_RIVAL = 12.0
#: How much "after therapy" wording counts towards `former-client` on its own.
AFTER_THERAPY_BONUS = 20.0
#: When the model gives crisis-post this much, "not sure" offers crisis-post first.
CRISIS_SUGGEST = 0.05


def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


#: Crisis wording on the normalised query (apostrophes dropped: "can't" is "cant"). Direct words and
#: the indirect ways people say goodbye online; any one of them answers `crisis-post`.
_SELF = "(?:herself|himself|themselves|themself|myself|yourself|oneself)"
#: Verbs that, turned on oneself ("burning herself", "offing myself"), are self-harm or suicide.
_DYING_VERB = (
    r"(?:kill|killing|killed|hurt|hurting|harm|harming|cut|cutting|hang|hanging|shoot|shooting|end|ending"
    r"|off|offing|burn|burning|burned|burnt|starv\w*|injur\w*|poison\w*|drown\w*|punish\w*|scratch\w*"
    r"|hit|hitting|stab\w*|slit\w*|choke\w*|strangl\w*|throw\w*|threw|drink\w* (?:\w+ )?to death)"
)
_PLACE = (
    r"(?:(?:train |railway |tube |station |car park |multi storey )?(?:bridges?|roofs?|rooftops?|ledges?"
    r"|cliffs?"
    r"|cliff edge|balcony|overpass|platforms?|railway|train tracks|tracks|motorway|gap))"
)
#: Crisis wording on the normalised query (apostrophes dropped: "can't" is "cant"). This is a safety
#: net, so it leans towards recall: direct words, clinical shorthand ("passive si"), slang ("kms",
#: "unalive", "sewer slide", "ctb"), methods and places ("a rope", "a video from a bridge"), wishes
#: ("wants to sleep forever"), burden and absence ("nobody would notice if she was gone"), goodbyes
#: ("giving away her things", "sorry for everything") and danger to or from others ("threatened to kill
#: her", "shoot up his workplace"). Any one of them answers `crisis-post`: a wrong crisis answer costs
#: a click back, a missed one can cost a life.
CRISIS_PATTERN = re.compile(
    r"\b(?:"
    r"suicid\w*|sucid\w*|suicde\w*|suicdal|self harm\w*|selfharm\w*|self injur\w*|nssi|overdos\w*|ideation"
    r"|homicid\w*|sewer ?slide|ctb|self delet\w*|unaliv\w*|not alive|kill me"
    r"|" + _DYING_VERB + r" (?:\w+ )?" + _SELF +
    r"|(?:kill|shoot|stab)\w* (?:someone|somebody|people|others|everyone|him|her|them|me|us|my|his|her)\b"
    r"|(?:to|will|would|might|could|gonna|wants?|going|threat\w*|urges? to) (?:hurt|harm) "
    r"(?:someone|somebody|people|others|everyone|other people|him|her|them|my|his|her|the)\b"
    r"|shoot\w* up|threat\w* (?:to|against)|(?:hurt|harm|shake|smother)\w* (?:her|his|their|the|my) (?:baby"
    r"|kids?|child\w*)"
    r"|(?:want|wants|wanting|wanted|going|gonna|ready|trying|deserve|deserves|deserved|plan|plans|planning"
    r"|wish|wishes"
    r"|about|time) to (?:die|disappear|sleep forever|not wake up|not exist|go away forever|end it\w*)"
    r"|(?:wish|wishes|wished|wishing) (?:she|he|they|i|she was|he was)? ?(?:was|were|is)? ?dead"
    r"|nothing (?:left )?to live for|living like this"
    r"|(?:cant|cannot|can not) keep (?:living|going|doing this)"
    r"|(?:want\w*|going|gonna|about|ready|threaten\w*) to jump|car park|multi storey"
    r"|bye (?:everyone|everybody|all|yall|world|forever)|love you all|tonights the night"
    r"|better off (?:dead|without|gone)|better without (?:her|him|me|them)|(?:world|everyone|everybody"
    r"|family)"
    r" (?:\w+ ){0,3}better (?:off )?without|nothing to live for|no reason to (?:live|stay|go on)"
    r"|not worth living"
    r"|(?:end|ending|ended|finish|finishing) (?:it|it all|it tonight|things|everything|her life|his life"
    r"|their life"
    r"|my life|her own life|his own life)\b(?! with)"
    r"|(?:take|taking|took) (?:her|his|their|my) (?:own )?life"
    r"|(?:not|dont|doesnt|didnt|no longer|never) (?:want|wanting|wants) to (?:be here|be alive|live|exist"
    r"|wake up|go on)"
    r"|(?:never|not) wake up|sleep forever|go to sleep and"
    r"|(?:not|wont|will not|wouldnt|not going to) be (?:here|around|alive)"
    r"(?! (?:for|to|at|on|in|next|until|till)\b)"
    r"|(?:cant|can not|cannot|can t) (?:do this|go on|take (?:it|this)|keep going|cope|carry on|live like)"
    r"|(?:done|tired|sick|finished) (?:with|of) (?:life|living|everything|it all|being alive|existing)"
    r"|tired of living"
    r"|(?:im|i am) done\b(?! with)|done with it all"
    r"|no point (?:in )?(?:going on|living|anymore|any more|carrying on|trying|being here|in anything"
    r"|to anything)"
    r"|whats the point|(?:want|wants|wanting|make|need) (?:it|it all|everything|the pain|this) to (?:stop"
    r"|end)"
    r"|giving away (?:all )?(?:of )?(?:her|his|their|my)? ?(?:stuff|things|belongings|possessions|pets?|cat"
    r"|dog|clothes)"
    r"|gave away (?:all )?(?:her|his|their|my)? ?(?:stuff|things|belongings|possessions)"
    r"|(?:a|such a|being a|the) burden|disappear\w*"
    r"|(?:no one|nobody|noone|no body) (?:would|will|wouldnt|even|is going to|gonna|ever)? ?(?:miss|care"
    r"|notice)"
    r"|(?:if|when|once) (?:she|he|they|i|im) (?:was|were|is|am|are)? ?gone"
    r"|(?:gone|went) missing"
    r"|goodbye\w*|farewell\w*|good bye|bye forever|final (?:post|message|words|goodbye|note|letter)"
    r"|last (?:goodbye|words|post ever)|(?:this is|this will be|this was) my last"
    r"|sorry for everything|sorry (?:to )?everyone|sorry for being"
    r"|see (?:you|yall|you all) (?:on the other side|in another life|in the next life)|suicide note"
    r"|goodbye (?:note|letter)"
    r"|(?:a |the )?note to (?:everyone|her family|his family|their family|my family)"
    r"|pills|tablets|bunch of pills|took a bunch|stockpil\w*|hoard\w* (?:\w+ )?(?:meds|pills|medication"
    r"|tablets)"
    r"|(?:took|take|taking|swallowed) (?:all|a handful|too many|loads|a lot) (?:of )?(?:her |his |their |my "
    r"|the )?"
    r"(?:meds|pills|medication|tablets)"
    r"|noose|rope|gun|guns|firearm|rifle|pistol|razor\w*|blade|blades|wrists?|bridge to jump|jump\w* off"
    r"|(?:from|on|off|at|of|near|edge of|top of) (?:a |the |her |his )?" + _PLACE
    + r"|rooftop|ledge|cliff edge|one step"
    r"|fresh cuts|cuts|scars|cut marks|bleeding|blood"
    r"|(?:cut|cuts|cutting) (?:again|last night|deep|her arms?|his arms?|her legs?|her wrists?)"
    r"|relapsed and cut|cutting(?! (?:ties|back|down|off|me off|out|sessions|costs|corners|contact))"
    r"|(?:posted|posting|post|story|video|live|picture|pictures|photo) (?:of |about )?(?:cutting|cuts|scars"
    r"|blood)"
    r"|pro ana|thinspo|starving (?:herself|himself|themselves|myself)"
    r"|passive si|active si|\bsi\b|safety plan|welfare check|sectioned|5150|psych ward|a and e"
    r"|not safe|unsafe|crisis|emergency|in danger|988|999|911|samaritans|lifeline|000"
    # Wider net: possessive threats, revenge on a group, finality and farewell phrases, ways to die.
    r"|(?:nobody|no one|noone) (?:else )?(?:will|would|gets to|can|is going to) (?:ever )?have (?:her"
    r"|him|them)"
    r"|(?:everyone|everybody|they|them|all of (?:you|them)|(?:this|the|that) (?:school|place|office|class))"
    r" (?:\w+ ){0,2}(?:will|are gonna|gonna|going to|is going to|are going to) (?:pay|regret it|be sorry)"
    r"|make (?:them|him|her|everyone|everybody|you all) pay"
    r"|(?:it|this|everything|all|life|my life|the pain) ends? (?:tonight|today|now|soon|here|tomorrow)"
    r"|ends tonight|check\w* out (?:early|for good|permanently|of (?:life|this world))"
    r"|(?:last|final) (?:day|night|hours?|week|moments?) (?:on earth|alive|of (?:my|her|his) life)"
    r"|on this earth"
    r"|(?:never|not) wak\w* up|wak\w* up (?:dead|no more)|painless|ways? to (?:die|go quietly|end it)"
    r"|(?:how many|how much) (?:\w+ ){0,3}(?:lethal|kill|fatal|to die|to overdose)|lethal|fatal dose"
    r"|tell (?:my|her|his) \w+ (?:that )?(?:im|i am|she is|hes|shes|he is)? ?sorry|goodnight forever"
    r"|good night forever|night night forever|knife|knives|machete|weapons?"
    r"|(?:lighter|easier|happier|brighter|calmer|fine|okay|ok) (?:off )?without (?:me|her|him|them)"
    r"|(?:if|when) (?:im|i am|shes|she is|hes|he is|theyre|they are) (?:not|no longer) (?:here|around)"
    r"|(?:ready|wants?|wanting|wish\w*|time|longs?|longing|cant wait|going"
    r"|gonna) to (?:be with (?:\w+ ){1,2}again"
    r"|join (?:my|her|his|their) (?:late )?(?:husband|wife|partner|mum|mom|mother|dad|father|son|daughter"
    r"|baby|grandma|gran|nan|grandad|grandpa))"
    # Round-3 final set: farewells, letters, pets handed on, weapons, abuse and threats in other words.
    r"|nice knowing (?:you|yall|everyone|all)|have a (?:good|great|nice|happy) life|one (?:more |last "
    r"|final )?step"
    r"|(?:wrote|written|writing|left) (?:\w+ )?(?:letters|notes) (?:to|for) (?:everyone|all|each|her|his"
    r"|my|the)"
    r"|(?:tired|sick|done) (?:of|with) (?:fighting|trying|being here|it all)|or ever again"
    r"|(?:someone|somebody|anyone|please) (?:\w+ )?(?:take|have|look after|feed|adopt) (?:the|my|her|his) "
    r"(?:dog|cat|pets?|kids?|children)|(?:anyone|someone|somebody) (?:\w+ ){0,2}(?:needs?|wants?) my "
    r"(?:stuff|things|clothes|belongings)|come (?:and )?(?:get|take) (?:it|them|my stuff|my things)"
    r"|bang\w* (?:her|his|my|their) head|head ?bang\w*|punch\w* (?:walls?|the wall)"
    r"|(?:step ?dad|stepfather|step ?father|uncle|father|dad|step ?mum|step ?mom|(?:mums|moms"
    r"|mothers) boyfriend)"
    r" (?:\w+ ){0,2}(?:comes?|came|coming|gets?|got|creeps?) (?:in|into) (?:her|his|my|their) (?:room|bed)"
    r"|shotguns?|handguns?|ammo|ammunition|bullets?"
    r"|(?:strangl\w*|chok\w*|beat|beats|beating|punch\w*|kick\w*|hit|hits|hitting|slap\w*) (?:her|him|me"
    r"|them)"
    r"\b(?! up)"
    r"|(?:wont|will not|never|not) (?:be )?(?:coming|come|going to come) back"
    r"|(?:wont|will never|never|will not) see (?:the|her|his|my|their) (?:kids|children|son|daughter"
    r"|baby) again"
    r"|(?:scratch\w*|carv\w*|cut\w*|burn\w*) (?:her|his|my|their) (?:legs?|arms?|wrists?|thighs?|skin"
    r"|stomach)"
    r"|make (?:\w+ ){0,2}(?:pay|suffer)"
    r")\b"
)
#: The structured safety net: families of crisis wording. Two different strong families in one query
#: ("wrote her will" + "at peace", "funeral" + "it's time", "fading away" + "never waking up") answer
#: `crisis-post` even when no single phrase above is known; a child word with a harm word is a child
#: at risk. Any strong-family word at all puts crisis first among "not sure" suggestions.
_DRUG_WORDS = "|".join(sorted(_DRUGS))
CRISIS_FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(r"\b(?:" + pattern + r")\b"))
    for name, pattern in (
        ("death", r"die|dies|died|dying|dead|death|funeral|grave|coffin|casket|afterlife|heaven|eulogy"
                  r"|obituary|lethal|fatal|bereave\w*|widow\w*|rip|other side|next life"),
        ("final", r"forever|for good|for the last time|one last|at peace|made (?:her|his|their|my) peace"
                  r"|(?:its|it is|it) time(?! (?:for|to (?:talk|meet|book|go home)))|time to go|no more"
                  r"|never again|wont need|will not need|on earth"
                  r"|last (?:day|night on|post|message|words|song|wish|sunset)|final \w+"
                  r"|(?:ill|i will|she will|shell|he will|hell) (?:finally )?be free|finally free|free soon"),
        ("prep", r"(?:wrote|written|writing|made|making|updated|updating|signed|finished|sorted|drew up)"
                 r" (?:out )?(?:her|his|their|my|a|a new) (?:\w+ )?will|affairs|in order"
                 r"|look after (?:my|her|his)"
                 r"|take care of (?:my|her|his) (?:dog|cat|pets?|kids|children|babies|plants)|rehom\w*"
                 r"|giving away|gave away|give away|(?:wont|will not|dont) need (?:her|him|it|them|this"
                 r"|these)"),
        ("harm", r"hurt\w*(?! (?:people|peoples|some people|feelings|others|someones|a few))"
                 r"|harm\w*|cut|cuts|cutting|burn\w*|bruis\w*|hit|hitting|beat|beating|beaten|abus\w*"
                 r"|strangl\w*|chok\w*|punch\w*|starv\w*|faint\w*|injur\w*|bleed\w*|blood|kill\w*|attack\w*"
                 r"|violen\w*|weapons?|knife|knives|guns?|shoot\w*|stab\w*|punish\w*|slap\w*|kick\w*"
                 r"|neglect\w*|molest\w*|assault\w*|threat\w*|deserves? (?:it|this|to suffer|pain|to hurt)"
                 r"|left alone|alone for (?:hours|days|the night)|locked (?:in|out)|unattended|screaming at"),
        ("body", r"(?:hasnt|havent|not|stopped|hadnt|hasnt been) (?:eaten|eating)|faint\w*|purg\w*|starv\w*"
                 r"|collaps\w*|passed out|blacked out|unconscious|not breathing|nodding off"
                 r"|(?:cant|can not|cannot|dont) feel (?:anything|a thing)|numb"),
        ("gone", r"disappear\w*|vanish\w*|fad(?:e|es|ing) away|not (?:be )?(?:here|around)|gone|go away"
                 r"|walk\w* into|into the (?:sea|ocean|river|water|lake|woods)|never (?:come|coming|be) back"
                 r"|leave (?:this|the) world|sleep forever|(?:be|being) with (?:my|her|his"
                 r"|their)? ?(?:late )?"
                 r"(?:mum|mom|mother|dad|father|grandma|granny|gran|nan|nana|grandad|grandpa|husband"
                 r"|wife|partner"
                 r"|son|daughter|brother|sister|baby|family|\w+) again|join (?:my|her|his|their) (?:late )?"
                 r"(?:husband|wife|partner|mum|mom|mother|dad|father|son|daughter|baby|brother|sister"
                 r"|grandma|gran"
                 r"|nan|grandad|grandpa|family)(?! (?:and|for|at|on|in|to))"),
        ("means", r"pills?|tablets?|meds|medication|overdos\w*|rope|ligature|noose|razor\w*|blades?"
                  r"|vodka|whiskey|whisky|alcohol|booze|drinking until"
                  r"|painless|" + _DRUG_WORDS),
        ("amount", r"(?:a|the|whole|full) (?:bottle|packet|pack|box|strip|tub) of|all (?:of )?(?:her|his"
                   r"|their|my|the)|at once|the whole|the lot|handful|too many"
                   r"|stockpil\w*|hoard\w*|saved up|whole (?:bag|bottle|pack|packet|box|lot)"),
        ("place", _PLACE + r"|edge|(?:train|railway|rail) line|high (?:building|bridge)|tall building"
                           r"|top floor"
                  r"|the woods"),
        ("goodbye", r"thank you for everything|thanks for everything|goodbye|bye|farewell|goodnight"
                    r"|good night|night night|see you (?:on|in) \w+|so long"
                    r"|love you all|sorry (?:for|to) everyone|sorry for everything"),
        ("empty", r"tank is empty|running on empty|nothing left|end of the (?:road|line)|pull\w* (?:off|over)"
                  r"|checking out|check out|cant anymore|cannot anymore"),
        ("child", r"toddler|babies|baby|infant|newborn|child|children|kid|kids|son|daughter"
                  r"|little (?:boy|girl|one)"
                  r"|stepson|stepdaughter|grandchild\w*"),
    )
)


def crisis_families(padded: str) -> set[str]:
    """The crisis families whose words occur in the normalised query."""
    return {name for name, pattern in CRISIS_FAMILIES if pattern.search(padded)}


def crisis_by_families(found: set[str]) -> bool:
    """Two different strong families, or a child with harm, make a crisis."""
    if {"child", "harm"} <= found:
        return True
    return len(found - {"child"}) >= 2


#: Crisis words that also appear in policy questions ("consent form section on emergencies").
WEAK_CRISIS_PATTERN = re.compile(
    r"^(?:crisis|emergency|not safe|unsafe|in danger|988|999|911|samaritans|safety plan)$"
)

#: Words that place a request, message or invitation after therapy has ended.
FORMER_PATTERN = re.compile(
    r"\b(former|previous|past|old|ended|terminated|discharged|closed) clients?\b"
    r"|\bformer\b|\bused to (see|treat|work with|be my)\b|\bi (saw|treated|worked with) (\w+ ){0,3}ago\b"
    r"|\b(terminated|terminate|termination|discharged|graduated)\b"
    r"|\b(finished|ended|ending|after|completed|done with|stopped|quit|left|dropped out of)"
    r" (therapy|treatment|counseling|counselling|our work|sessions)\b"
    r"|\b(we|therapy|treatment) (ended|finished|stopped|wrapped up|closed)\b"
    r"|\b(closed|ended|terminated|finished|wrapped up) with\b|\bdropped out\b"
    r"|\b(years|months|year|month) ago\b|\bno longer (see|seeing|my client|a client|in therapy)\b"
    r"|\bstopped seeing\b"
    r"|\bnow that (we|therapy|were|treatment) (are |is |were )?(done|over|ended|finished)\b"
    r"|\b(were|we are) done\b"
    r"|\b(havent|have not|hadnt|had not|not) (seen|worked with|treated|had) (\w+ ){0,3}(in|for"
    r"|since) (\w+ ){0,2}"
    r"(years?|months?|ages|a while|a long time|(19|20)\d\d)\b"
    r"|\bi (saw|treated|worked with|used to see) (\w+ ){0,6}(back in|in (19|20)\d\d)|\bback in (19|20)\d\d\b"
    r"|\b(closed|archived) (her|his|their|the|my) (file|case|chart|record)s?\b"
    r"|\b(my|our) (old|previous|former|last) (caseload|job|practice|agency|placement|clinic|trust|service)\b"
    r"|\b(?:closed|old) cases?\b|\blast year\b|\b(?:group|course|programme|program|therapy|sessions?|work"
    r"|counsell?ing) (?:that |which )?(?:ended|finished|closed|wrapped up)\b|\bwrapped up\b"
)
#: Words that place a client (or someone in their care) in the story.
CLIENTISH = re.compile(
    r"\bclients?\b|\b(?:i|we) (?:see|saw|counsel\w*|treat\w*|work with|worked with|support\w*|had)\b"
    r"|\bcaseload\b"
    r"|\bcases?\b|\bgroup\b|\bcouples?\b|\breferrals?\b|\bformer\b|\bfamil(?:y|ies) i\b"
)
#: Someone from the clinician's own life, or a colleague, as the one who acts (the first words): not a client
#: situation unless a client is named.
NOT_A_CLIENT = re.compile(
    r"^ (?:\w+ ){0,2}?(?:my|a|our) (?:own )?(?:mum|mom|mother|dad|father|sister|brother|husband|wife"
    r"|partner|teenager|son"
    r"|daughter|kids?|niece|nephew|aunt|uncle|cousin|neighbou?r|friend|best friend|colleague|coworker|boss"
    r"|manager|in laws?|mother in law|grandma|nan|ex)\b"
)
#: Anyone at all: a story with nobody in it and no cue is not a situation.
PERSON = re.compile(
    r"\b(?:she|he|her|him|his|they|them|their|someone|somebody|person|people|guy|woman|man|kid|kids|son"
    r"|daughter|mum|mom|dad|parent|partner|husband|wife|i|me|my|we|us|our|you|anyone|anybody)\b"
)
CURRENT_PATTERN = re.compile(r"\b(current|currently|active|seeing now|im seeing|i am seeing)\b")
#: Situations that mean something else once therapy has ended: ways of connecting.
CONNECTING: frozenset[str] = frozenset(
    {"friend-request", "invitation", "direct-message", "comment", "tagged"}
)

_PLATFORM = _words(
    "instagram", "facebook", "twitter", "tik tok", "snapchat", "linkedin", "whatsapp", "reddit",
    "youtube", "venmo", "nextdoor", "threads", "bluesky", "pinterest", "strava", "dating app",
    "dating site", "social media", "online", "messenger", "discord", "telegram", "signal",
)
_CONTENT = _words(
    "profiles?", "accounts?", "pages?", "instagram", "facebook", "twitter", "tik tok", "snapchat",
    "linkedin", "reddit", "youtube", "blog", "posts?", "pictures?", "photos?", "videos?", "stories",
    "story", "tweets?", "reels?", "vacation", "wedding", "family", "husband", "wife", "partner",
    "boyfriend", "girlfriend", "kids?", "children", "son", "daughter", "dogs?", "cats?", "pets?",
    "house", "home", "address", "dating", "venmo", "transactions", "personal", "private", "life",
    "stuff", "politics", "political", "friends list", "playlists?", "spotify", "feed", "selfies?",
    "servers?", "strava", "goodreads", "discord",
    "bereal", "steam", "xbox", "twitch", "letterboxd", "pinterest", "listings?", "routes?", "runs?",
    "reading list", "podcast", "substack", "threads", "bluesky",
)
_EVENT = _words(
    "wedding", "party", "birthday", "graduation", "shower", "barbecue", "cookout", "show", "gig",
    "concert", "game", "funeral", "recital", "church", "service", "ceremony", "celebration", "event",
    "opening", "reception", "performance", "play", "fundraiser", "dinner", "lunch", "brunch",
    "breakfast", "coffee", "drinks?", "beers?", "club", "class", "retreat", "festival", "picnic",
    "christening", "baptism", "bar mitzvah", "bat mitzvah", "quinceanera", "housewarming", "hen do",
    "stag do", "communion", "memorial", "anniversary", "retirement", "launch", "match", "pub",
)
_SOCIAL_EVENT = _words(
    "wedding", "party", "birthday", "graduation", "shower", "barbecue", "cookout", "gig", "concert",
    "funeral", "recital", "ceremony", "celebration", "reception", "fundraiser", "art show", "picnic",
    "christening", "baptism", "bar mitzvah", "bat mitzvah", "quinceanera", "housewarming", "hen do",
    "stag do", "communion", "anniversary",
)
_COLLEAGUE = _words(
    r"colleagues?", r"coworkers?", r"co workers?", r"interns?", r"supervisees?", r"trainees?",
    r"associates?", r"fellow (?:clinician|therapist|counselor|counsellor|social worker|psychologist)s?",
    r"(?:another|other|a|one of our|one of my) (?:therapist|clinician|counselor|counsellor|social worker"
    r"|psychologist|provider|practitioner)s?(?= (?:i know|at|in|from|on|posted|shared|tweeted|wrote|is))",
    r"practice owner", r"clinical director", r"my boss", r"(?:my|our|a|the) (?:\w+ )?supervisors?",
    r"(?:my|our|the) (?:line )?managers?", r"team lead\w*", r"peers?", r"staff members?",
    r"gps?", r"psychiatrists?", r"nurses?", r"team members?", r"teammates?",
    r"members? of (?:our|my|the) team",
    r"one of (?:our|my) (?:\w+ )?(?:therapists|clinicians|counsel+ors|staff|team|interns|associates|doctors"
    r"|psychologists|social workers|providers|practitioners|trainees|supervisees)",
    r"(?:someone|somebody) (?:at|in|from) (?:our|my) (?:practice|office|group|team)",
)
_SEARCH_VERB = _words(
    # "on google" is where a review sits, not a search ("5 stars on google with her full name").
    "(?<!on )(?<!in )(?<!via )(?<!from )google(?! (?:review|business|maps|rating))",
    "search", "searched", "searching", "look up", "looked up", "looking up", "look at",
    "looked at", "looking at", "look through", "looked through", "looking through", "look into",
    "looked into", "check", "checked", "checking", "check out", "stalk", "stalked", "stalking",
    "snoop", "snooped", "snooping", "research", "researched", "researching", "investigate",
    "verify", "verifying", "peek at", "peeked at", "peeking at", "peeks at", "had a look at", "creep on",
    "creeping on", "browse", "browsed", "scroll through",
    "cyberstalk", "cyber stalk", "view", "viewed", "viewing",
)
_FOUND_VERB = _words(
    "found", "find", "finds", "finding", "saw", "seen", "seeing", "sees", "knows", "knew", "know",
    "recognized", "recognised", "recognizes", "watching", "watched", "watches", "read", "reads",
    "reading", "brought up", "brings up", "bringing up", "mentioned", "mentions", "quoted", "quotes",
    "asked about", "asking about", "asks about", "talked about", "talking about", "looked at",
    "looking at", "looked through", "scrolled", "scrolling", "stalking", "stalked", "discovered",
    "came across", "commented about", r"track\w* down", "dug up", "hunted down",
    r"stumbled (?:on|upon|across)", "worked out", "figured out",
)
_REGRET = _words(
    r"regret\w*", "delete", "deleted", "deleting", "take (?:it )?down", "took (?:it )?down",
    "taken down", "remove it", "removed", r"apologi\w*", "apology", "backlash", r"screenshot\w*",
    "resurfaced", "called (?:me )?out", "calling (?:me )?out", "offensive", "offended", "insensitive",
    "unprofessional", r"embarrass\w*", "mistake", "oops", "dumb", "stupid", "cringe", "went viral",
    "blew up", r"wish i (?:hadnt|had not|didnt|did not|never)", r"walk\w* (?:it )?back", "problematic",
    "transphobic", "racist", "homophobic", "sexist", "ableist", "non affirming", r"misgender\w*",
    "people (?:are |were |got )?(?:upset|angry|mad)", "upset (?:people|some people|everyone)",
    "shouldnt have", "should not have", "snarky", "rude", "nasty", "drunk", "heated", "inflammatory", "petty",
    r"(?:and )?now (?:im|i am) (?:worried|anxious|panicking|freaking out)", r"panick\w*", "freaking out",
)

_LINKEDIN_INVITE = (
    r"\bfriend invit\w*|\binvit\w* (?:me )?(?:as a friend|to be friends)|\blinkedin (?:\w+ )?invit\w*"
    r"|\binvit\w* (?:\w+ ){0,3}(?:to connect|on linkedin|to follow"
    r"|to (?:join )?(?:her|his|their) "
    r"network)|\bconnect\w* invit\w*"
)

_OWN_COMMENT = (
    r"\bi (?:left|made|wrote|posted) (?:a |an |some )?(?:\w+ )?comments? (?:on|in|under) (?:a|an|some|the) "
    r"(?:public |random |local |news )?(?:thread|post|group|forum|article|news|page|subreddit)\b"
)

#: Cues: (situation, pattern on the padded normalised query, weight). A situation's cue bonus is the
#: sum of its distinct cues, capped; the weights say how sure one cue makes us on its own.
_CUE_TABLE: tuple[tuple[str, str, float], ...] = (
    # A request to connect, from the client (or their family) to the clinician.
    ("friend-request", r"\b(?:friend|follow|connection|add|linkedin) requests?\b", 32),
    ("friend-request", r"\b(?:sent|send|sends|sending|got|get|received|keeps sending) (?:me )?(?:a |an )?"
                       r"(?:\w+ )?requests?\b", 28),
    ("friend-request", r"\brequest(?:ed|ing|s)? (?:me|to (?:follow|friend|add|connect))\b", 32),
    ("friend-request", r"\b(?:friended|followed|follows|following|friending|added|adding|add|follow|friend)"
                       r" (?:me|my)\b", 32),
    ("friend-request", r"\b(?:follow|friend|add)\w* (?:\w+ ){0,2}back\b|\bhit follow\b", 30),
    ("friend-request", r"\bbe (?:\w+ )?friends\b|\bfriends (?:on|with)\b", 26),
    ("friend-request", r"\b(?:connect|connected|connecting) (?:with me|on|online)\b|\bwants? to connect\b"
                       r"|\b(?:stay|keep|keeping|staying) (?:in touch|connected)\b", 26),
    ("friend-request", r"\baccept\w* (?:\w+ ){0,3}(?:follow|friend|request|connection)", 20),
    # A LinkedIn "invite" is a request to connect, not an invitation to meet.
    ("friend-request", _LINKEDIN_INVITE, 40),
    ("invitation", _LINKEDIN_INVITE, -40),
    # A private message to the clinician.
    ("direct-message", r"\b(?:payment|venmo|paypal|cash app|zelle|transfer) notes?\b|\bnotes? (?:in|on|with) "
                       r"(?:\w+ ){0,3}(?:payment|venmo|paypal|transfer)\b", 30),
    ("direct-message", r"\bdirect messag\w*|\b(?:messaged|messaging|texted|texting|emailed|emailing"
                       r"|wrote to|writes to|writing to|reached out|reaching out|slid into|voicemail"
                       r"|voice (?:memo|message|note))\b", 32),
    ("direct-message", r"\b(?:messages?|texts?|emails?|whatsapp|messenger|inbox)\b", 20),
    ("direct-message", r"\b(?:personal|my|own) (?:cell|phone|number|email|inbox|mobile)\b", 20),
    ("direct-message", r"\bsent (?:me )?(?:a |an |some )?(?:snapchat|picture|photo|video|voice \w+|gif|meme"
                       r"|selfie|link"
                       r"|message|text|email|note)s?\b", 28),
    # The clinician shown or named in the client's post.
    ("tagged", r"\btag(?:ged|s|ging|d)?\b|\btagg\w*", 34),
    ("tagged", r"\bmention\w* (?:me|my (?:name|handle|username|account|page|practice)|us"
               r"|our practice)\b|\bmy name (?:is |was |appears |shows up |came up )(?:in|on|under)\b"
               r"|\bmention\w* in (?:a|her|his|their)\b", 32),
    ("tagged", r"\bshout ?outs?\b|\bshouted (?:me )?out\b|\bnamed me\b|\bused my (?:full )?name\b", 32),
    ("tagged", r"\b(?:posted|wrote|talked|tweeted|posting|writing) about me\b", 24),
    ("tagged", r"\b(?:names|naming|name) me\b|\bby (?:my )?name\b|\b(?:put|puts|putting|used|uses|using|wrote"
               r"|writes"
               r"|included|includes|listed|shared) my (?:full |real |first )?name\b|\bmy name (?:in|on"
               r"|under)\b", 32),
    ("tagged", r"\b(?:picture|photo|selfie|video|pictures|photos) (?:of|with) (?:me|us)\b", 24),
    # Likes, reactions and comments, either way.
    ("comment", r"\b(?:commented|comments|commenting|reacted|reacting|reactions?|hearted|hearts"
                r"|liked|likes|liking|replied|replies|replying|emojis?)\b|\b(?:left|leaves|leaving|leave) "
                r"(?:a |an )?(?:\w+ )?comments?\b|\bcomment on\b", 32),
    ("comment", r"\bcomment\b", 16),
    ("comment", r"\b(?:wrote|writes|posted|left|said|put) (?:\w+ ){0,3}(?:under|below|beneath) (?:my|our"
                r"|the|her"
                r"|his) (?:\w+ ){0,3}(?:post|reel|video|photo|picture|tweet|story|status|article)\b", 30),
    ("comment", r"\bheart (?:a|my|her|his|their|the|clients?|posts?)\b|\breacts?\b|\breact to\b", 30),
    ("comment", r"(?<!sounds )(?<!looks )(?<!seems )(?<!feels )(?<!something )"
                r"\blike (?:my|her|his|their|a|the"
                r"|all|every|clients?|posts?|photos?|pictures?)\b", 28),
    ("comment", r"\b(?:respond\w*|repl\w*) to (?:my|her|his|their|a|the) (?:post|tweet|story|photo|picture"
                r"|video|reel|status|comment)\b|\bheart (?:on|emoji)\b|\bleft a heart\b", 28),
    # A social invitation.
    ("invitation", r"\binvit\w*", 36),
    ("invitation", r"\basked me (?:out|to (?:come|go|join|attend)|for (?:a )?" + _EVENT + r"|to (?:\w+ ){0,2}"
                   + _EVENT + r")", 32),
    ("invitation", r"\b(?:grab|get|have|go for|meet for|out for|meet up for) (?:a |some )?" + _EVENT, 32),
    ("invitation", r"\b(?:hang out|hanging out|meet up|get together|spend time together)\b", 30),
    ("invitation", r"\b(?:come|go|going|attend|attending|be at|join) (?:to )?(?:\w+ ){0,3}" + _EVENT, 28),
    ("invitation", r"\b(?:client|her|his|their|kids?|family|son|daughter|band)\b (?:\w+ )?"
                   + _SOCIAL_EVENT + r"\b", 16),
    # The clinician's own wedding or party is something a client saw, not an invitation.
    ("invitation", r"\bmy (?:\w+ )?" + _SOCIAL_EVENT + r"\b", -24),
    ("invitation", r"\bjoin (?:her|his|their|them|a)\b", 18),
    ("invitation", r"\bshout (?:me|us) (?:a |an |some )?(?:\w+ )?(?:drinks?|beers?|pints?|coffees?|lunch"
                   r"|dinner"
                   r"|meal|feed|brekkie)\b", 32),
    ("invitation", r"\b(?:wants|wanted|asked|would like|would love|invited) me (?:at|to be (?:at|her|his"
                   r"|their)"
                   r"|to (?:her|his|their))\b|\bbe (?:her|his|their) (?:\w+ )?(?:buddy|partner|plus one"
                   r"|date)\b", 30),
    # The client came across the clinician's personal life online.
    ("found-online", r"\b" + _FOUND_VERB + r" (?:\w+ ){0,3}?my (?!clients?\b)(?:\w+ ){0,2}?"
                     + _CONTENT + r"\b", 34),
    ("found-online", r"\b(?:found|saw|seen|recogni[sz]ed|google|googled|looked|look|looking|matched with"
                     r"|spotted) me\b", 32),
    ("found-online", r"\b(?:in|during) (?:our |a |the |today |last )?session\b", 8),
    ("found-online", r"\bdating (?:app|site|profile)\b", 14),
    ("found-online", r"\b(?:recogni[sz]ed|found|knows|spotted) my (?:\w+ )?(?:username|user name|handle"
                     r"|gamertag)\b",
     34),
    ("found-online", r"\b(?:knows?|knew|found out|worked out|figured out|finds out) (?:where i|my address"
                     r"|my street"
                     r"|about my)\b", 34),
    # The clinician looking the client up.
    ("client-search", r"\b" + _SEARCH_VERB
                      + r" (?:up )?(?:\w+ ){0,2}?(?:clients?|her|him|them|their|his)\b", 34),
    ("client-search", r"\b(?:google|search\w*|look\w* up|stalk\w*|snoop\w*) (?:for )?(?:a |my |the |new )?"
                      r"(?:prospective |new |potential )?clients?\b", 14),
    # "looks clients up", "googles new referrals": the verb split from its particle, or a new referral.
    ("client-search", r"\b(?:look|looks|looked|looking) (?:\w+ ){1,2}up\b(?! (?:to|at) me)"
                      r"|\b(?:google|search\w*|check\w*|vet\w*|screen\w*) (?:\w+ )?referrals?\b", 34),
    # The clinician looking at a client's own profile or posts: that is a search, even after therapy.
    ("client-search", r"\b" + _SEARCH_VERB + r" (?:\w+ ){0,3}?(?:clients?|her|his|their) (?:\w+ )?"
                      r"(?:profile|account|page|instagram|facebook|tik tok|twitter|linkedin|social media"
                      r"|posts?|stories|story|feed"
                      r"|youtube|channel)\b", 20),
    # Reading the client's own blog or channel is looking them up.
    ("client-search", r"\b(?:read|reading|reads|follow|following|watch|watching|subscribe\w* to) (?:my "
                      r"|a |the )?"
                      r"(?:clients?|her|his|their) (?:\w+ )?(?:blog|posts?|tweets?|substack|channel"
                      r"|youtube|stories"
                      r"|story|feed|profile|page|account|tik tok|instagram)\b", 34),
    # The client saw something on a video call or in the office: not a personal account found online.
    ("found-online", r"^(?!.*\b(?:instagram|facebook|twitter|tik tok|snapchat|linkedin|google|online|profile"
                     r"|account|spotify|strava|venmo|dating)\b).*\b(?:behind me|background|on (?:zoom|camera"
                     r"|video|teams|the call|a call)|in (?:my|the) office|waiting room)\b", -34),
    # The clinician's own post.
    ("regretted-post", r"\bi (?:posted|shared|tweeted|wrote|said|put up|made|vented|ranted|reposted"
                       r"|retweeted|uploaded|joked)\b", 20),
    ("regretted-post", r"\bmy (?:own |old |last |recent |latest |\w+ )?(?:post|posts|tweet|tweets|meme|rant"
                       r"|reel|status|caption|blog post|article|video|videos|comment)\b", 12),
    ("regretted-post", r"\b" + _REGRET + r"\b", 28),
    ("regretted-post", r"\b(?:posts?|tweets?|comments?|videos?|reels?) (?:of mine|i (?:made|wrote|posted"
                       r"|shared|did))\b"
                       r"|\bmy (?:\w+ )?(?:post|tweet|video|reel)s? (?:\w+ ){0,4}(?:got|was|were|been"
                       r"|is being) "
                       r"(?:shared|reposted|screenshotted|retweeted|reported|quoted)\b|\blooks? bad\b", 28),
    # A sentence that starts with the verb ("posted a photo from work...") is the writer's own post.
    ("regretted-post", r"^ (?:posted|shared|tweeted|uploaded|reposted|retweeted|put up)\b", 20),
    # The clinician's own comment somewhere public (not on a client's content) is their own post.
    ("regretted-post", _OWN_COMMENT, 30),
    ("comment", _OWN_COMMENT, -20),
    # A recommendation names the clinician, but it is a review.
    ("tagged", r"\brecommend\w*", -20),
    ("regretted-post", r"\b(?:clients?|people|everyone|colleagues?|parents|my boss) (?:\w+ )?(?:saw|have seen"
                       r"|might have seen|may have seen|could see|can see|will see) (?:it|that|this)\b", 28),
    # A colleague's post.
    ("colleague-post", r"\b" + _COLLEAGUE + r"\b", 30),
    # A colleague with nothing posted or shared is not a colleague's post ("switch to another therapist").
    ("colleague-post", r"^(?!.*\b(?:post\w*|shar\w*|tweet\w*|blog\w*|wrote|writ\w*|vent\w*|upload\w*"
                       r"|reels?|story"
                       r"|stories|photo\w*|picture\w*|video\w*|tik tok|instagram|facebook|twitter"
                       r"|linkedin|reddit"
                       r"|online|podcast|discord|comment\w*|describ\w*|identif\w*|social media|whatsapp"
                       r"|group chat"
                       r"|threads|website|article|newsletter|caption\w*|live)\b)", -40),
    # A colleague who looks clients up, with no post of their own, is a question about searching.
    ("colleague-post", r"^(?!.*\b(?:post\w*|shar\w*|tweet\w*|blog\w*|wrote|vent\w*|upload\w*|reel|story)\b)"
                       r".*\b(?:google|search\w*|look\w* (?:\w+ ){0,2}up|stalk\w*|snoop\w*)\b", -30),
    ("colleague-post", r"\b" + _COLLEAGUE + r"\b.*\b(?:post\w*|shar\w*|tweet\w*|wrote|writ\w*|vent\w*|blog\w*"
                       r"|describ\w*|overshar\w*|tik tok|instagram|facebook|reddit|online|story)\b", 24),
    # Wording for the practice's policy or consent paperwork.
    ("policy-clause", r"\bpolic(?:y|ies)\b|\bclauses?\b|\bdisclaimer\w*|\bhandbook\b|\bboilerplate\b", 44),
    ("policy-clause", r"\bparagraph\b|\bterms (?:for|of|and)\b|\b(?:client|service|therapy"
                      r"|treatment) agreement\b"
                      r"|\btemplate (?:paragraph|wording|language|clause|text|for (?:our|my|the) (?:consent"
                      r"|intake))\b",
     40),
    ("policy-clause", r"\b(?:consent|intake|onboarding) (?:form|forms|paperwork|docs?|documents?|packet"
                      r"|language|wording|section)\b|\binformed consent\b|\bpaperwork\b", 40),
    ("policy-clause", r"\b(?:wording|sample language|how (?:do|should) (?:i|we) word|word (?:our|the|a|my))\b"
                      r"|\bsection (?:for|on|in|about)\b|\blanguage (?:for|about|on)\b", 22),
    # Reviews and testimonials.
    ("review-request", r"(?<!policy )\b(?:review|reviewed|reviewing|testimonial|yelp|healthgrades|zocdoc"
                       r"|ratings?|rated|stars?|endorse\w*|recommendation letter)\b", 40),
    ("review-request", r"\brecommend\w* (?:me|us|my|our)\b|\brecommendations?\b|\bquotes? (?:from"
                       r"|by) (?:\w+ )?"
                       r"clients?\b|\bclient (?:feedback|stories|testimon\w*)\b|\b(?:collect|gather"
                       r"|ask for|get)\w* "
                       r"(?:\w+ ){0,2}(?:quotes|feedback|reviews)\b", 44),
    # A book or film review the clinician wrote is their own post, not a review of the practice.
    ("review-request", r"\b(?:book|goodreads|movie|film|letterboxd|restaurant|product|album"
                       r"|amazon) reviews?\b",
     -40),
    ("review-request", r"\bclient quotes?\b|\bquotes? (?:on|for) (?:our|my|the) (?:website|site|page)\b", 30),
    ("review-request", r"\b(?:quot\w*|feature\w*|publish\w*|put|use) (?:\w+ ){0,5}(?:on|for|in) (?:our|my"
                       r"|the) "
                       r"(?:website|site|web page|homepage|marketing|brochure|leaflet|flyer|ads?)\b", 30),
)
#: Vocabulary of the cues, so the typo corrector knows their words too ("tagd" -> "tagged").
_CUE_TEXT = (
    "friend friended friends follow followed follows following request requested requests connect "
    "connection message messaged messaging messages text texted texting email emailed whatsapp "
    "messenger inbox voicemail tag tagged tagging mention mentioned shoutout shouted named comment "
    "commented comments reacted hearted liked likes liking replied invite invited invitation wedding "
    "party birthday graduation shower barbecue concert gig funeral recital coffee lunch dinner drinks "
    "found saw seen knows recognized watching watched brought quoted google search searched searching "
    "looked looking check checked checking stalk stalking snoop verify regret regretted delete "
    "deleted apologize apology backlash screenshot resurfaced offensive insensitive unprofessional "
    "embarrassed mistake transphobic racist colleague coworker intern supervisee trainee associate "
    "peer policy clause disclaimer handbook consent intake paperwork wording template review "
    "testimonial yelp healthgrades rating stars former previous terminated discharged goodbye "
    "farewell suicidal overdose pills profile account dating venmo vacation blog quote quotes"
)
CUE_WORDS: tuple[str, ...] = tuple(_CUE_TEXT.split())


@dataclass(frozen=True)
class _Cue:
    key: str
    pattern: re.Pattern[str]
    weight: float


CUES: tuple[_Cue, ...] = tuple(_Cue(key, re.compile(pattern), weight) for key, pattern, weight in _CUE_TABLE)

#: Two-word names for the person in care ("service user" in the NHS, "young person" in schools).
_CLIENT_NAMES = re.compile(r"\b(?:service user|young person|young people|care recipient)(?=s?\b)")
#: "trainee here:", "psych NP here,", "practice owner -": who is asking, not who is in the story (a
#: leading "trainee" is not a colleague's post).
_ROLE_PREFIX = re.compile(
    r"^\s*(?:(?:i'?m|i am|as) (?:a |an |the )?)?(?:[a-z]+ ){0,3}?(?:trainee|intern|student|owner|director"
    r"|supervisor|np|nurse practitioner|counsell?or|therapist|social worker|psychologist|psychiatrist|pwp"
    r"|mft|lmft|lcsw|lpc|clinician|practitioner|nurse|psych)s?(?: (?:on placement|here|in training))*"
    r"\s*(?:here\b[:,-]?|:|\s-\s)\s*"
)
_WORD = re.compile(r"[a-z0-9][a-z0-9'/-]*")
#: "@'d", "@ed", "@mentioned", "@someone": all say the clinician was mentioned.
_AT_MENTION = re.compile(r"@'?(?:d|ed)\b|@mention(?:ed)?\b|@\w+")


def _expand(word: str) -> list[str]:
    word = word.strip("'-/")
    if word.endswith("'s"):
        word = word[:-2]
    if word in SHORTHAND:
        return SHORTHAND[word].split()
    bare = word.replace("'", "")
    if bare in SHORTHAND:
        return SHORTHAND[bare].split()
    if "-" in word or "/" in word:
        return [piece for part in re.split(r"[-/]", bare) if part for piece in _expand(part)]
    return [bare] if bare else []


def normalize(text: str) -> str:
    """Lowercase, keep words, expand shorthand.

    'Pt DMed me on IG!!' -> 'client direct messaged me on instagram'.
    """
    lowered = text.lower().replace("’", "'").replace("‘", "'").replace("&", " and ")
    lowered = _AT_MENTION.sub(" mentioned ", lowered).replace("linked in", "linkedin")
    lowered = _ROLE_PREFIX.sub("", _CLIENT_NAMES.sub("client", lowered))
    words = _WORD.findall(lowered)
    return " ".join(piece for word in words for piece in _expand(word))


@dataclass(frozen=True)
class Match:
    situation: str | None
    score: float
    suggestions: tuple[str, ...]
    how: str  # "key", "alias", "fuzzy", "crisis", "model" or "none"


@dataclass(frozen=True)
class _Reading:
    """What the rules made of a query: their decision, the ranking, and the signals the model reads."""

    decision: Match
    ranked: list[tuple[str, float]]
    families: set[str]
    signals: tuple[str, ...]


@dataclass(frozen=True)
class _Keyword:
    words: tuple[str, ...]
    prefix: bool  # the last word matches any ending ("suicid*")

    @classmethod
    def parse(cls, raw: str) -> _Keyword:
        prefix = raw.endswith("*")
        words = tuple(normalize(raw.rstrip("*")).split())
        return cls(words, prefix)


class _KeywordIndex:
    """Which owners' keywords occur in a query, counted once per keyword; built for speed, since
    every query checks a few hundred keywords."""

    def __init__(self, keywords: dict[str, tuple[_Keyword, ...]]) -> None:
        self._exact: dict[str, list[tuple[str, int]]] = {}
        self._prefixes: list[tuple[str, str, int]] = []
        self._phrases: list[tuple[re.Pattern[str], str, int]] = []
        for owner, parsed in keywords.items():
            for number, keyword in enumerate(parsed):
                if not keyword.words:
                    continue
                if len(keyword.words) == 1 and not keyword.prefix:
                    self._exact.setdefault(keyword.words[0], []).append((owner, number))
                elif len(keyword.words) == 1:
                    self._prefixes.append((keyword.words[0], owner, number))
                else:
                    tail = r"\S*" if keyword.prefix else ""
                    pattern = re.compile(r"(?<!\S)" + re.escape(" ".join(keyword.words)) + tail + r"(?!\S)")
                    self._phrases.append((pattern, owner, number))

    def hits(self, tokens: list[str]) -> dict[str, int]:
        found: set[tuple[str, int]] = set()
        for token in tokens:
            found.update(self._exact.get(token, ()))
            for prefix, owner, number in self._prefixes:
                if token.startswith(prefix):
                    found.add((owner, number))
        query = " ".join(tokens)
        for pattern, owner, number in self._phrases:
            if pattern.search(query):
                found.add((owner, number))
        counts: dict[str, int] = {}
        for owner, _number in found:
            counts[owner] = counts.get(owner, 0) + 1
        return counts


def _content(tokens: Iterable[str]) -> str:
    return " ".join(token for token in tokens if token not in STOPWORDS)


class Matcher:
    """Built once per catalogue; `match` is pure and fast (well under a millisecond)."""

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        threshold: float = 70.0,
        margin: float = 12.0,
        keyword_weight: float = 10.0,
        keyword_cap: float = 30.0,
        cue_cap: float = 60.0,
        sure_likeness: float = 92.0,
        set_weight: float = 0.6,
        model: Model | bool | None = True,
    ) -> None:
        """`model=True` loads the shipped learned model (see `model.py`), False or None uses rules only,
        and a `Model` instance uses that one (training evaluates models trained without a set)."""
        self._model: Model | None = (load_model() if model else None) if isinstance(model, bool) else model
        self.set_weight = set_weight
        self.threshold = threshold
        self.margin = margin
        self.keyword_weight = keyword_weight
        self.keyword_cap = keyword_cap
        self.cue_cap = cue_cap
        self.sure_likeness = sure_likeness
        self._keys = catalogue.keys()
        self._known_keys = frozenset(self._keys)
        self._cues = tuple(cue for cue in CUES if cue.key in catalogue)
        self._aliases: dict[str, str] = {}
        phrases: list[str] = []
        owners: list[str] = []
        vocabulary: set[str] = set(CUE_WORDS)
        for situation in catalogue:
            names = [situation.key, situation.key.replace("-", " "), *situation.aliases]
            for name in names:
                self._aliases.setdefault(normalize(name), situation.key)
            for phrase in [*names, *situation.examples, situation.title]:
                tokens = normalize(phrase).split()
                vocabulary.update(tokens)
                content = _content(tokens)
                if content:
                    phrases.append(content)
                    owners.append(situation.key)
        self._keywords: dict[str, tuple[_Keyword, ...]] = {}
        self._prefixes: set[str] = set()
        for situation in catalogue:
            parsed = tuple(_Keyword.parse(word) for word in situation.keywords)
            self._keywords[situation.key] = parsed
            for keyword in parsed:
                vocabulary.update(keyword.words)
                if keyword.prefix and len(keyword.words) == 1:  # "suicid*" protects "suicidality"
                    self._prefixes.add(keyword.words[0])
        self._index = _KeywordIndex(self._keywords)
        # An alias found word for word inside a longer query ("present" in "client gave me a present")
        # is evidence too: a practice-added situation may have aliases and examples but no keywords.
        self._alias_index = _KeywordIndex(
            {
                situation.key: tuple(
                    _Keyword.parse(alias) for alias in situation.aliases if _content(normalize(alias).split())
                )
                for situation in catalogue
            }
        )
        vocabulary.update(piece for value in SHORTHAND.values() for piece in value.split())
        vocabulary.update(STOPWORDS)
        self._vocabulary = sorted(vocabulary)
        self._known = frozenset(vocabulary)
        prose = " ".join(
            " ".join([situation.title, situation.summary, situation.why])
            + " ".join(variant.text for variant in situation.variants.values())
            for situation in catalogue
        )
        self._protected = COMMON_WORDS | frozenset(normalize(prose).split())
        self._corrections: dict[str, str] = {}
        self._phrases = phrases
        self._owners = owners

    # -- normalising -------------------------------------------------------------------------------

    def _correct(self, token: str) -> str:
        """Fix a typo ('freind', 'instagarm') by the closest word the catalogue knows, if close enough."""
        if token in self._known or self._is_word(token) or len(token) < 4 or token.isdigit():
            return token
        if any(token.startswith(prefix) for prefix in self._prefixes):
            return token
        cached = self._corrections.get(token)
        if cached is not None:
            return cached
        best = process.extractOne(token, self._vocabulary, scorer=fuzz.ratio, score_cutoff=80)
        # Typos keep their first letter far more often than not; requiring it stops real words
        # from being "corrected" into a different meaning ("other" -> "another").
        fixed = (
            best[0]
            if best is not None and abs(len(best[0]) - len(token)) <= 2 and best[0][0] == token[0]
            else token
        )
        if len(self._corrections) < 10_000:  # bounded: a long-running bot must not grow without limit
            self._corrections[token] = fixed
        return fixed

    def _is_word(self, token: str) -> bool:
        """A real word, or an inflection of one ("showed", "watching"), is never a typo."""
        if token in self._protected:
            return True
        for suffix in _SUFFIXES:
            stem = token[: -len(suffix)]
            if token.endswith(suffix) and len(stem) >= 3 and (stem in self._protected or stem in self._known):
                return True
        return False

    def tokens(self, text: str) -> list[str]:
        return [self._correct(token) for token in normalize(text).split()]

    # -- matching ----------------------------------------------------------------------------------

    def match(self, text: str) -> Match:
        normalized = normalize(text)
        tokens = [self._correct(token) for token in normalized.split()]
        if not tokens:
            return Match(None, 0.0, tuple(self._keys[:3]), "none")
        query = " ".join(tokens)
        padded = f" {query} "
        cues = self._cue_scores(padded)
        if self._is_crisis(padded, cues) or self._is_crisis(f" {normalized} ", cues):
            return Match(CRISIS_KEY, 100.0, (), "crisis")
        families = crisis_families(padded) if CRISIS_KEY in self._keywords else set()
        if crisis_by_families(families) and cues.get(POLICY_KEY, 0.0) < FRAME_STRENGTH:
            return Match(CRISIS_KEY, 100.0, (), "crisis")
        compact = query.replace(" ", "-")
        if compact in self._keys:
            return Match(compact, 100.0, (), "key")
        if query in self._aliases:
            return Match(self._reroute(self._aliases[query], padded), 100.0, (), "alias")
        reading = self._read(tokens, padded, cues, families)
        if self._model is None:
            return reading.decision
        return self._blend(reading, tokens, normalized.split())

    def rules(self, text: str) -> Match:
        """The rules' answer alone, without the learned model (for comparison and evaluation)."""
        model, self._model = self._model, None
        try:
            return self.match(text)
        finally:
            self._model = model

    def signals(self, text: str) -> tuple[list[str], list[str], tuple[str, ...]]:
        """Corrected tokens, typed words and the rules' signals: what the model reads.

        Computed for any text, also one the rules answer early, so training sees every phrasing the
        way inference sees the ones that reach the model (the crisis override itself is not a signal:
        the model never sees a query the override answered).
        """
        words = normalize(text).split()
        tokens = [self._correct(token) for token in words]
        padded = f" {' '.join(tokens)} "
        cues = self._cue_scores(padded)
        families = crisis_families(padded) if CRISIS_KEY in self._keywords else set()
        return tokens, words, self._read(tokens, padded, cues, families).signals

    def _read(self, tokens: list[str], padded: str, cues: dict[str, float], families: set[str]) -> _Reading:
        """The rules' decision by scores and cues, with the signals the model reads."""
        ranked, evidence, likeness = self._rank(tokens, cues)
        decision = self._decide(padded, cues, families, ranked, evidence, likeness)
        signals: list[str] = [f"fam:{name}" for name in sorted(families)]
        for key, score in cues.items():
            signals.append(f"cue:{key}" if score > 0 else f"neg:{key}")
            if score >= LONE_CUE:
                signals.append(f"cue+:{key}")
        signals.extend(f"ev:{key}" for key in sorted(evidence))
        if ranked and ranked[0][1] > 0:
            signals.append(f"top:{ranked[0][0]}")
        best_like = max(likeness.items(), key=lambda item: item[1], default=("", 0.0))
        if best_like[1] >= 80:
            signals.append(f"like:{best_like[0]}")
        if self._after_therapy(padded):
            signals.append("after")
        if cues.get(POLICY_KEY, 0.0) >= FRAME_STRENGTH:
            signals.append("frame")
        if not PERSON.search(padded):
            signals.append("nobody")
        signals.append(f"rule:{decision.situation or 'none'}")
        return _Reading(decision, ranked, families, tuple(signals))

    def _decide(
        self,
        padded: str,
        cues: dict[str, float],
        families: set[str],
        ranked: list[tuple[str, float]],
        evidence: set[str],
        likeness: dict[str, float],
    ) -> Match:
        best_key, best_score = ranked[0]
        runner_up_key, runner_up = ranked[1] if len(ranked) > 1 else ("", 0.0)
        after_therapy = self._after_therapy(padded)
        sure = best_score >= self.threshold and (
            best_key in evidence or likeness.get(best_key, 0.0) >= self.sure_likeness
        )
        # Whether it was a request, a message or a coffee, after therapy the rules are the former
        # client's; the runner-up only matters if it is a topic that stays the same.
        connecting = CONNECTING | {FORMER_KEY}
        if (
            sure
            and after_therapy
            and best_key in connecting
            and (runner_up_key in connecting or best_score - runner_up >= self.margin)
        ):
            return Match(FORMER_KEY, best_score, (), "fuzzy")
        if not self._someone_in_care(padded, best_key, cues):
            sure = False
        if sure and best_score - runner_up >= self.margin:
            return Match(best_key, best_score, (), "fuzzy")
        lone = self._lone_cue(cues, evidence)
        if lone is not None and self._someone_in_care(padded, lone, cues):
            return Match(self._reroute(lone, padded), best_score, (), "fuzzy")
        suggestions = [key for key, score in ranked[:3] if score >= self.threshold * 0.6]
        suggestions = suggestions or [key for key, _ in ranked[:3]]
        if CRISIS_KEY in suggestions or families - {"child"}:
            # When a crisis is possible at all (any crisis-family word), it is the first thing offered.
            if CRISIS_KEY in suggestions:
                suggestions.remove(CRISIS_KEY)
            suggestions = [CRISIS_KEY, *suggestions][:3]
        return Match(None, best_score, tuple(suggestions), "none")

    def _blend(self, reading: _Reading, tokens: list[str], words: list[str]) -> Match:
        """Rules first when they are sure; the model answers only when it is clearly sure itself."""
        assert self._model is not None
        decision = reading.decision
        if decision.situation is not None:
            return decision
        probabilities = self._model.probabilities(tokens, words, reading.signals)
        limits = self._model.thresholds
        if CRISIS_KEY in self._keywords and probabilities.get(CRISIS_KEY, 0.0) >= limits.crisis:
            return Match(CRISIS_KEY, round(100 * probabilities[CRISIS_KEY], 1), (), "model")
        ordered = sorted(probabilities.items(), key=lambda item: item[1], reverse=True)
        (top, first), (_second_key, second) = ordered[0], ordered[1]
        if top in self._known_keys and first >= limits.answer and first - second >= limits.margin:
            return Match(top, round(100 * first, 1), (), "model")
        # Not sure: offer what rules and model together find closest, crisis first when possible.
        blended = {
            key: probabilities.get(key, 0.0) + min(score, 100.0) / 200.0 for key, score in reading.ranked
        }
        suggestions = sorted(blended, key=lambda key: blended[key], reverse=True)[:3]
        crisis_possible = (
            CRISIS_KEY in suggestions
            or bool(reading.families - {"child"})
            or probabilities.get(CRISIS_KEY, 0.0) >= CRISIS_SUGGEST
        )
        if crisis_possible and CRISIS_KEY in self._keywords:
            suggestions = [CRISIS_KEY, *(key for key in suggestions if key != CRISIS_KEY)][:3]
        return Match(None, decision.score, tuple(suggestions), "none")

    def _someone_in_care(self, padded: str, key: str, cues: dict[str, float]) -> bool:
        """Whether the story can be about a client at all, for the situations where the client acts.

        "my mum sent me a friend request" and "a colleague invited me to her wedding" are not client
        situations; "the coffee machine is broken" names nobody and has no cue.
        """
        if key not in CONNECTING | {FORMER_KEY, "found-online"}:
            return True
        if CLIENTISH.search(padded):
            return True
        if NOT_A_CLIENT.search(padded):
            return False
        return PERSON.search(padded) is not None or cues.get(key, 0.0) >= LONE_CUE

    def _lone_cue(self, cues: dict[str, float], evidence: set[str]) -> str | None:
        """The one situation a strong cue points to when no other situation has a real cue.

        Likeness to example phrasings is a weak, noisy signal for wording nobody wrote an example
        for ("client posted a rating of our practice"); a cue reads who did what, so a strong cue
        with no rival cue is a safer answer than a question back.
        """
        strong = [key for key, score in cues.items() if score >= LONE_CUE]
        if len(strong) != 1:
            return None
        key = strong[0]
        rivals = [other for other in evidence if other != key and cues.get(other, 0.0) > LONE_RIVAL]
        return None if rivals else key

    def _is_crisis(self, padded: str, cues: dict[str, float]) -> bool:
        if CRISIS_KEY not in self._keywords:
            return False
        found = [hit.group(0) for hit in CRISIS_PATTERN.finditer(padded)]
        if not found:
            return False
        # "what should our consent form say about emergencies" asks for wording, not crisis steps.
        weak_only = all(WEAK_CRISIS_PATTERN.match(word) for word in found)
        return not (weak_only and cues.get(POLICY_KEY, 0.0) >= FRAME_STRENGTH)

    def _after_therapy(self, padded: str) -> bool:
        return (
            FORMER_KEY in self._keywords
            and FORMER_PATTERN.search(padded) is not None
            and CURRENT_PATTERN.search(padded) is None
        )

    def _reroute(self, key: str, padded: str) -> str:
        """A request, message or invitation from someone therapy has ended with is `former-client`."""
        return FORMER_KEY if key in CONNECTING and self._after_therapy(padded) else key

    def _cue_scores(self, padded: str) -> dict[str, float]:
        scores: dict[str, float] = {}
        for cue in self._cues:
            if cue.pattern.search(padded):
                scores[cue.key] = scores.get(cue.key, 0.0) + cue.weight
        if scores.get(POLICY_KEY, 0.0) >= FRAME_STRENGTH:
            # "what should our policy say about texting" asks for wording; texting is only its topic.
            scores = {key: score if key == POLICY_KEY else score * 0.5 for key, score in scores.items()}
        topical = max((score for key, score in scores.items() if key in TOPICS), default=0.0)
        if FORMER_KEY in self._keywords and self._after_therapy(padded) and topical < FRAME_STRENGTH:
            scores[FORMER_KEY] = scores.get(FORMER_KEY, 0.0) + AFTER_THERAPY_BONUS
        return {key: min(score, self.cue_cap) for key, score in scores.items()}

    def _rank(
        self, tokens: list[str], cues: dict[str, float]
    ) -> tuple[list[tuple[str, float]], set[str], dict[str, float]]:
        """Scores per situation, the situations with evidence beyond likeness, and the likeness."""
        likeness: dict[str, float] = dict.fromkeys(self._keys, 0.0)
        content = _content(tokens)
        if content:
            hits = process.extract(
                content, self._phrases, scorer=fuzz.token_set_ratio, limit=40, score_cutoff=40
            )
            for phrase, score, index in hits:
                owner = self._owners[index]
                # token_set_ratio gives 100 whenever one side's words are a subset of the other's;
                # the plain ratio tempers that so a one-word query does not look certain.
                blended = self.set_weight * float(score) + (1 - self.set_weight) * fuzz.token_sort_ratio(
                    content, phrase
                )
                likeness[owner] = max(likeness[owner], blended)
        scores = dict(likeness)
        evidence: set[str] = set()
        framed = cues.get(POLICY_KEY, 0.0) >= FRAME_STRENGTH
        for key, found in self._index.hits(tokens).items():
            bonus = min(found * self.keyword_weight, self.keyword_cap)
            scores[key] += bonus * 0.5 if framed and key != POLICY_KEY else bonus
            evidence.add(key)
        evidence.update(self._alias_index.hits(tokens))
        for key, bonus in cues.items():
            if key in scores:
                scores[key] += bonus
                if bonus > 0:
                    evidence.add(key)
                else:  # a negative cue says this reading is wrong; keywords alone do not revive it
                    evidence.discard(key)
        if framed:  # the topic a wording question names matched by likeness too; it stays a topic
            for key in scores:
                if key != POLICY_KEY:
                    scores[key] *= FRAME_DAMPING
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
        return ranked, evidence, likeness
