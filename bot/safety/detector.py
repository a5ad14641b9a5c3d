# ruff: noqa: E501  (pattern tables read best one pattern per line)
"""The deterministic crisis and disclosure detector.

It runs on every message, in the NLU pipeline (bot/safety/component.py) and in the
channel's own guard, and no model can overrule a hit. Patterns match the normalised
text (bot/safety/normalise.py), in English, Filipino and Taglish. Hyperbole and
harmless uses of crisis words ("this game is killing me", "papatayin ako ni mama pag
late ako", "it was just the delivery guy") are screened out first. The regression
suite is tests/safety/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.safety.normalise import normalise

# Most urgent first: a message is given the first category that matches.
CATEGORIES = ("imminent-danger", "self-harm", "sexual-abuse-disclosure", "threat")
SAFE_WORD = "safe-word"


@dataclass(frozen=True)
class Crisis:
    category: str
    family_offender: bool

    def as_dict(self) -> dict[str, object]:
        return {"category": self.category, "family_offender": self.family_offender}


def _any(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# --- building blocks -------------------------------------------------------------

# The writer, or a child they speak for.
ME = r"(?:me|myself|us|my (?:son|daughter|child|kid|baby|little (?:brother|sister)|sister|brother)|ako|aq|kami|akin|sa akin|sakin|anak ko|kapatid ko)"
WRITER = r"(?:i|i'm|i am|i've|i was|we|we're|my (?:son|daughter|child|kid)|ako|aq|kami)"
# Family members and guardians.
FAMILY = (
    r"(?:step ?dad|step ?father|step ?mom|step ?mother|stepmum|dad|daddy|father|papa|tatay|itay|mom|mommy|"
    r"mum|mother|mama|nanay|inay|uncle|tito|tiyo|tiyuhin|auntie|aunt|tita|tiya|tiyahin|grandpa|grandfather|"
    r"lolo|grandma|grandmother|lola|brother|kuya|ate ko|ate niya|ate nya|si ate|stepbrother|sister|cousin|pinsan|guardian|"
    r"ama-?ama|ina-?ina|amahan|inahan|uyoan|iyaan|igsoon|ig-?agaw|"
    r"foster (?:dad|mom|mother|father|parent)|parents|magulang|kamag-?anak|relative|ninong|ninang|bayaw|"
    r"(?:mom|mum|mama|nanay)'?s (?:boyfriend|partner|husband)|boyfriend ni (?:mama|nanay)|live-?in ni (?:mama|nanay))"
)
# Someone else, as the one doing harm.
SOMEONE = (
    r"(?:he|she|they|someone|somebody|some ?one|a (?:man|guy|stranger|person|woman)|the (?:man|guy|stranger|person)|"
    r"this (?:guy|man|person)|stranger|(?:my |his |her )?(?:" + FAMILY + r"|ex|boyfriend|bf|coach|teacher|neighbou?r))"
)
SEXUAL = (
    r"(?:sex|sexual|sexually|naked|nude|nudes|undress\w*|strip|without (?:my |any |our )?clothes|no clothes|"
    r"private parts?|privates|down there|genitals?|breasts?|chest|butt|bum|pants|underwear|panty|panties|"
    r"hubad|nakahubad|walang damit|maselang bahagi|ari|dibdib|puwet|pwet|kahalayan|kalaswaan|malaswa)"
)

# Screened out before matching: casual, fictional or resolved uses of crisis words.
_HARMLESS = _any(
    r"\b(?:this|the|that|my|our) (?:game|level|boss|homework|assignment|class|test|exam|traffic|heat|song|show|"
    r"wait|work|job|commute|line|pila|joke|meme|video|vibe)\b.{0,20}\b(?:is |are |was )?(?:killing|kills?|killed|murder\w*) (?:me|her|him)\b",
    r"\b(?:killing|kill) (?:her|his|my|the) vibe\b", r"\bdying to\b", r"\b(?:i|we) could (?:kill|die) for\b",
    r"\b(?:i'd|i could|i'll|i will|i'm gonna|i'm going to)? ?(?:die|dying) (?:of|from) (?:boredom|embarrassment|laughter|laughing|cringe|hunger|gutom)\b",
    r"\bso bored i could die\b", r"\b(?:i'm|im) dead\b.{0,15}(?:😂|💀|lol|haha|meme|tired)", r"\bdead tired\b",
    r"\b(?:gonna|going to|will|'ll|'s going to) (?:kill|murder) (?:me|him|her)\b.{0,40}\b(?:for|if i'?m late|when (?:she|he) sees|haha|lol|😂)\b",
    r"\b(?:kill|murder) (?:me|him|her) (?:for (?:\w+ing|eating|taking|breaking)|haha|lol)\b",
    r"\b(?:i'?m|i am) (?:gonna|going to) kill (?:him|her)\b.{0,20}\b(?:haha|lol|😂)\b",
    r"\bkill (?:him|her) haha\b",
    r"\b(?:battery|phone|plant|halaman|cellphone|laptop) (?:is |ko )?(?:dying|dead|patay)\b|\bpatay na (?:ang |yung )?(?:cellphone|phone|ilaw|tv)\b",
    r"\blowbat\b.{0,20}\bpatay\b",
    r"\bpapatayin (?:ako|kami|tayo) (?:ni|ng) (?:mama|nanay|papa|tatay|mommy|daddy|lola|lolo|teacher|ma'?am|sir)\b.{0,30}\b(?:pag|kapag|kung) (?:late|hindi|di|na-?late|bagsak|bumagsak|makita)\b",
    r"\b(?:patay|yari) (?:ako|tayo|kami) (?:kay|sa) (?:nanay|tatay|mama|papa|ma'?am|sir|teacher)\b",
    r"\bpatay (?:na )?(?:ako|tayo) sa (?:exam|quiz|math|test|recit)\b",
    r"\b(?:mamamatay|mamatay|namatay) (?:na )?(?:ako )?sa (?:gutom|kilig|pagod|inip|hiya|tawa|kaba|lamig|init)\b", r"\bnakakamatay (?:sa |ang |yung |ng )?\w*",
    r"\bpapatayin (?:ako|kami) ng (?:likod|ulo|paa|bag|sakit|deadline|trabaho|assignment|init|lamig) ko\b",
    r"\bhinahabol (?:ako|kami) ng (?:deadline|oras|assignment|utang|trabaho|aso)\b",
    r"\b(?:following|follows) me (?:around|everywhere)\b", r"\bpillow fights?\b",
    r"\b(?:won't|wont|will not|don't|dont) let me (?:go to|go out with|go on|have|use|watch|play|stay up|sleep over)\b",
    r"\b(?:horror|scary) (?:movie|film|story|game)\b.{0,60}|\b(?:movie|film|novel|show|series|game|book) about\b.{0,80}",
    r"\b(?:pero wala naman|praning lang|joke lang|jk|charot|chos)\b",
    r"\bkill (?:me|you|him|her) with kindness\b|'(?:i'll |i will )?kill(?: you| me)?'",
    r"\b(?:naiwan|nawala) (?:ko )?(?:ang |yung )?susi\b.{0,60}|\bhirap ng buhay\b",
    r"\bpapatayin ko (?:na )?(?:yung |ang )?(?:ilaw|tv|boss|electric fan|aircon)\b",
    r"\bsuicide (?:squad|mission|doors?)\b",
    r"\b(?:going to|will|'ll) die without\b",
    r"\b(?:going to|will|'ll) kill (?:me|us|him|her)\b.{0,15}\b(?:lol|haha|lmao)\b|\b(?:going to|will|'ll) kill (?:me|us)\b.{0,60}\bi (?:spilled|broke|lost|forgot|ate|used|took|ruined|borrowed|dropped)\b",
    r"\bwhy (?:do |did )?(?:they|he|she|the \w+) (?:both )?(?:kill\w* (?:themselves|himself|herself)|die[sd]?)\b",
    r"\b(?:it was|it's|its) (?:just|only) (?:the |my |our )?\w+(?: guy| man)?\b|\blang pala\b",
    r"\b(?:it's|its|it was) (?:my|the|our) (?:pizza|food|delivery|package|parcel|grab|lalamove|order|friend|mom|mum|dad|lola|lolo|tita|neighbou?r)\b",
    r"\bisusumbong (?:niya |nya )?(?:ako |kami )?kay (?:mama|papa|nanay|tatay|teacher|ma'?am|sir)\b",
    # Following, locking and grounding that are about apps, ads and house rules.
    r"\b(?:follow\w*) (?:me|us) (?:on|sa) (?:tiktok|ig|insta\w*|twitter|x|fb|facebook|youtube|twitch|spotify|roblox)\b",
    r"\b(?:followed|following) (?:me |us )?(?:by|on) (?:the same |an? |this )?(?:ads?|song|video|meme|post)s?\b",
    r"\blocked (?:me |us )?out of (?:the |my |our )?(?:wifi|wi-fi|account|phone|laptop|game|router|netflix)\b",
    r"\b(?:nakakulong|nakakandado|naka-?lock)\b.{0,40}\bgrounded\b|\bgrounded\b.{0,40}\b(?:nakakulong|naka-?lock)\b",
    r"\b(?:going to|gonna|will|'ll|'re gonna|are gonna) kill (?:me|us)\b.{0,20}\bwhen (?:they|she|he|mom|mum|dad|my \w+) (?:see|sees|find out|finds out|learn|hear)\b",
    r"\bpapatayin (?:ako|kami) (?:ni|ng) \w+\b.{0,30}\b(?:pag|kapag|kung) (?:nalaman|malaman|makita|nakita)\b",
    r"\b(?:in a|locked in a) staring contest\b", r"\b(?:character|villain|novel|book|movie|play|story|essay|thesis)\b.{0,40}\b(?:kidnap\w*|locks?|kill\w*|abus\w*|dies)\b",
)

_PATTERNS: dict[str, re.Pattern] = {
    "imminent-danger": _any(
        # someone at, outside, breaking in, coming
        rf"\b{SOMEONE}(?:'s| is| are| was) (?:still |now |right now )?(?:outside|at) (?:my|the|our) (?:door|house|home|window|room|gate|school|work)\b",
        r"\b(?:he|she|they)(?:'s| is| are) (?:outside|downstairs|at the door|at my door|on the stairs|coming upstairs|coming up|coming for me|still behind me|walking (?:toward|towards|to) me)\b|\bfound where i live\b|\b(?:knows|found out) where i live\b.{0,40}\b(?:coming|on (?:his|her|their) way)\b",
        r"\b(?:he|she|they)(?:'s| is| are)? coming\b.{0,60}\b(?:on (?:his|her|their) way|knows where i live|scared|help|hide|hiding)\b",
        r"\b(?:following|followed) (?:me|us) since\b|\bstill (?:behind|following) (?:me|us)\b|\bis (?:walking|coming|running) (?:toward|towards|at|after) me\b",
        r"\b(?:knife|gun|machete|bolo|kutsilyo|baril|itak|sundang|patalim)\b.{0,40}\b(?:outside|here|coming|door|house|room|labas|bahay|kwarto|dito|me|ako)\b|\bmay dalang (?:kutsilyo|baril|itak|sundang|patalim|bolo)\b",
        r"\b(?:hitting|beating|choking|hurting|stabbing|strangling|attacking) (?:his|her|their|a|the|my) (?:little )?(?:girl|boy|kid|child|daughter|son|wife|mom|mother|sister|brother)\b.{0,40}\b(?:right now|now|screaming|won't let)\b|\b(?:he|she)(?:'s| is) (?:hitting|beating|hurting) (?:her|him|me)\b.{0,40}\b(?:won't let|right now|now)\b",
        r"\b(?:waiting|standing|parked|lurking|hiding) (?:for me )?(?:outside|in front of|at|by) (?:my|the|our) (?:school|house|home|door|window|room|building|gate)\b",
        rf"\b{SOMEONE}(?:'s| is| are| was)? (?:banging on|knocking on|pounding on|kicking (?:the|my)|breaking (?:in|down)|trying to (?:get|break|come) (?:in|into)|trying to open|in (?:the|our|my) (?:house|home|room|yard|apartment)|inside (?:the|our|my) (?:house|home|room)|coming (?:in|into|to my room|for me|to get me|back|over|here)|on (?:his|her|their) way (?:here|over|to)|already in the \w+( room)?|here (?:now|right now)|waiting (?:outside|for me))\b",
        r"\b(?:at|outside|banging on|knocking on|pounding on) my (?:door|window|house|room)\b",
        r"\b(?:break|breaking|broke|trying to break|kicking) (?:in|into|down) (?:my|our|the) (?:house|room|home|door|bedroom door)\b|\bbreak down my (?:bedroom )?door\b",
        r"\btrying to (?:open|get in through) (?:my|the|our) (?:window|door)\b|\btrying the (?:back |front )?door\b",
        r"\b(?:hiding|hide) (?:under|in|from|behind)\b",
        r"\b(?:stuck|trapped|locked) (?:at|in|inside)\b.{0,40}\b(?:his|her|their|scared|help|won't|can't|yelling|took my phone)\b|\b(?:locked|trapped) me\b",
        r"\b(?:won't|will not|wont|doesn't|does not) let me (?:leave|out|go)\b|\btook my phone\b",
        r"\bkidnap\w*\b.{0,20}\b(?:me|us)\b|\b(?:took|grabbed|forced) me (?:into|in) (?:his|her|their|a) (?:car|van|house)\b|\bi'?m in his (?:car|van|house|place)\b",
        rf"\b{SOMEONE}(?:'s| is| are| keeps?)? (?:hitting|beating|choking|strangling|hurting|attacking|punching|kicking|stabbing) (?:me|us|my \w+(?: \w+)?)\b",
        r"\b(?:hurting|hitting|beating|choking) me (?:right )?now\b",
        r"\b(?:is|are|'s|keeps?|still) (?:following|chasing|stalking|watching) (?:me|us)\b|\b(?:being|been|am being) (?:followed|chased|stalked)\b|\bgrabbed (?:me|my arm|my hand)\b",
        r"\b(?:he|she|they)(?:'s| is| are) here\b.{0,40}\b(?:help|scared|please|hiding)\b|\bhelp\b.{0,20}\b(?:he|she|they)(?:'s| is| are) here\b",
        r"\b(?:going|gonna|about) to (?:hurt|hit|beat|kill) me (?:tonight|now|right now)\b",
        r"\bi'?m (?:in danger|not safe)\b|\bi am (?:in danger|not safe)\b",
        r"\bcall (?:the )?(?:police|911|999|112) for me\b",
        r"\b(?:knife|gun|machete|bolo|weapon|bat|kutsilyo|baril|itak|sundang|patalim|pamalo|tubo|armas)\b.{0,40}\b(?:sala|kitchen|yard|living room|bakuran|kusina|garage|hallway|in our|inside)\b",
        r"\b(?:is|are|\'s|keeps?) (?:hurting|hitting|beating|choking|strangling|stabbing|attacking|punching|kicking|slapping) (?:my |our |her |his )?(?:mommy|mom|mum|mama|mother|nanay|daddy|dad|papa|sister|brother|baby|little \w+|lola|lolo|us|me|him|her)\b",
        r"\b(?:throwing|threw) (?:\w+ )?(?:plates|things|stuff|chairs|knives|bottles)\b.{0,20}\b(?:at (?:us|me|her|him|my \w+)|right now)\b|\bis bleeding\b",
        r"\b(?:locked|lock) (?:myself|ourselves) in\b|\bpinned (?:me|her|him) (?:to|against|down)\b",
        r"\b(?:a man|someone|somebody|a guy|a stranger|an intruder|a person|intruder)(?: is| was|\'s)? (?:inside|in) (?:their|his|her|our|my|the) (?:house|home|room|apartment|yard)\b",
        r"\bbreak(?:ing)? down (?:my|her|his|our|their|the) (?:bedroom |bathroom |front )?door\b",
        r"\b(?:trying|tried|tries) (?:the |our |my )?(?:front |back )?(?:door ?knob|doorknob|door handle|windows?|doors?)\b|\b(?:climbing|climbed|jumping) (?:over|into|through|up) (?:our|the|my) (?:fence|wall|gate|window|balcony)\b",
        r"\b(?:home alone|alone at home|alone in the house|(?:i\'m|i am) alone)\b.{0,80}\b(?:someone|somebody|a man|a guy|stranger|door|window|doorbell|knocking|banging)\b|\b(?:someone|somebody|a man|a guy|stranger)\b.{0,120}\b(?:home alone|alone at home|alone in the house|i\'m alone|im alone)\b",
        # Filipino and Taglish
        r"\b(?:may|merong|yung|isang) (?:lalaki|tao|stranger)\b.{0,30}\b(?:sa labas|nakatayo|nakaabang|pumasok|nasa bahay|dito sa bahay|sumusunod)\b",
        r"\bsa labas ng (?:bahay|bintana|pinto|kwarto|gate|school)\b.{0,30}\b(?:siya|sya|lalaki|ngayon|takot|tulong)\b|\bnasa labas (?:siya|sya|sila)\b",
        r"\b(?:nakatago|nagtatago|nagtago) (?:ako|aq|kami)\b|\bhinahabol (?:ako|kami)\b|\b(?:may )?(?:nakasunod|sumusunod) (?:sa akin|sakin|saking|saakin|sa amin|samin)\b",
        r"\b(?:sinusundan|sinundan) (?:ako|aq|kami)\b(?!.{0,20}\bkdrama)",
        r"\bpapunta (?:na )?(?:daw )?(?:siya|sya|sila) (?:dito|sa bahay)\b|\bpapasok (?:na )?(?:siya|sya|sila)\b|\balam (?:na )?(?:niya|nya) (?:ang |yung )?address ko\b",
        r"\b(?:andito|nandito|nandyan|parating) (?:na )?(?:siya|sya|xa|sila|si|yung lalaki)\b",
        r"\bnasa (?:sasakyan|kotse|bahay|kwarto|hotel) (?:niya|nya|nila) (?:ako|kami)\b|\bkinuha (?:ako|kami) ng\b|\bdinukot (?:ako|kami)\b",
        r"\bayaw (?:akong|kaming|niya akong) (?:pakawalan|palabasin|paalisin|pauwiin)\b|\b(?:nilock|ni-?lock|ikinulong|kinulong|nakakulong) (?:ako|kami)\b",
        rf"\b(?:sinasaktan|binubugbog|sinusuntok|sinasakal|pinapalo|sinasampal|sinisipa|hinahampas) (?:ako|aq|kami|ni {FAMILY}|si (?:mama|nanay|papa|tatay|\w+)|ng {FAMILY})\b",
        r"\bkumakatok\b.{0,30}\b(?:takot|natatakot|tulong|help|lasing|mag-?isa)\b|\btulong\b.{0,15}\bkumakatok\b",
        r"\bmay (?:pumasok|nakapasok)(?: na \w+)? sa (?:bahay|kwarto|loob)\b",
        r"\b(?:naka-?lock|nakakandado|nakakulong) (?:ako|aq|kami)\b.{0,60}\b(?:siya|sya|sila|lasing|takot|tulong|kwarto)\b|\bnasa kabilang kwarto (?:siya|sya)\b",
        r"\b(?:binabato|binabatukan|hinahampas) (?:kami|ako)\b|\bayaw (?:kami|akong|kaming|ako) (?:palabasin|pakawalan|paalisin)\b",
        r"\bpapunta (?:na )?(?:siya|sya|sila) sa (?:kwarto|bahay|school) (?:ko|namin)\b",
        r"\b(?:gigukod|ginagukod|gukod|nagsunod-?sunod|ginasunod)\b|\btabangi (?:ko|mi)\b|\bhadlok kaayo\b",
        r"\b(?:sinisipa|kinakalampag|binabalibag|sinisira) (?:niya |nila )?(?:yung |ang )?pinto\b",
        r"\bhindi (?:ako|kami) (?:ligtas|safe)\b",
        r"\b(?:lalaki|lalaking|tao|mga lalaki)\b.{0,25}\bsa labas ng (?:bahay|bintana|pinto|kwarto|gate|cr)\b|\bnag-?aabang sa labas\b",
        r"\bmay (?:tao|lalaki|ibang tao|nakapasok)\b.{0,15}\bsa loob\b|\bmay (?:lalaki|lalaking|taong|tao)(?:ng)? (?:pumasok|nakapasok)\b",
        r"\b(?:ako|aq|kami) (?:sinusundan|hinahabol|inaabangan)\b",
        r"\b(?:sinasaktan|binubugbog|sinasakal|sinusuntok|pinapalo|sinasampal|sinisipa|hinahampas|nananakit)\b.{0,40}\b(?:ngayon|right now|now)\b",
        r"\b(?:sinasaktan|binubugbog|sinasakal|sinusuntok|sinasampal|sinisipa|hinahampas) (?:daw )?(?:niya|nila|siya) (?:si|ang|yung) \w+",
        r"\b(?:dinala|kinuha|dinukot) (?:kami|ako) (?:dito|doon|sa)\b.{0,60}\b(?:lalaki|kinuha|cellphone|phone)\b|\bkinuha nila (?:ang |yung )?(?:cellphone|phone) (?:namin|ko)\b",
        r"\b(?:wala akong kasama|mag-?isa (?:lang )?(?:ako|aq) sa bahay)\b",
        # From the Filipino dev split (tests/safety/crisis_fil.yml)
        r"\bmay (?:pumapasok|papasok|sumusubok (?:pumasok|buksan))\b.{0,25}\b(?:bintana|pinto|bahay|kwarto|gate)\b",
        r"\b(?:sumusubok|sinusubukan|tinatangka)\b.{0,20}\b(?:buksan|pasukin|pumasok)\b.{0,20}\b(?:pinto|bintana|gate|kwarto|bahay)\b",
        r"\bsinisilip (?:ako|aq|kami)\b|\bsaklolo\b.{0,40}\b(?:pinto|bintana|bahay|lalaki|tao|sinasaktan|may)\b",
        r"\bayaw (?:nya|niya|nila|sya|siya) (?:ako|aq|kami|akong|kaming) (?:palabasin|pakawalan|paalisin|pauwiin)\b",
        r"\bpapasok na (?:si|ang|yung|ung)\b.{0,40}\b(?:kwarto|natatakot|takot|lasing)\b",
        r"\b(?:binabato|binabatukan|sinasaktan|binubugbog|sinasakal|sinasampal|hinahampas) (?:ni|ng) \w+\b.{0,40}\b(?:ngayon|nagtatago|tulong|takot)\b",
    ),
    "self-harm": _any(
        r"\b(?:kill|killing|killed|hurt|hurting|cut|cutting|harm|harming|hang|hanging|drown|drowning|starve|starving|burn|burned|burnt|burning|poison|poisoned|choke) (?:myself|my self|my wrists?|my arms?)\b",
        r"\b(?:been |keep |started |start )cutting\b|\bcutting again\b|\bcut (?:again|deep)\b|\bscratch\w* my (?:arms?|legs?|skin)\b.{0,30}\bbleed\b",
        r"\bunalive (?:myself|me)\b|\b(?:want|wanna|going) to unalive\b",
        r"\b(?:want|wanna|wanted|going|ready|plan(?:ning)?|thinking about how|need) to (?:die|end (?:it|my life|everything|things|it all)|kill myself|not (?:be|exist|wake up))\b",
        r"\b(?:end|ending|take|taking) (?:my|my own) life\b|\bend it all\b|\bend it tonight\b",
        r"\b(?:don't|do not|dont|no longer) want to (?:live|be alive|be here|exist|wake up|go on)\b",
        r"\b(?:wish|wished) i (?:was|were|could be) (?:dead|never born|gone)\b|\bbetter off (?:dead|without me)\b|\b(?:i'd|i would|should) (?:just )?(?:rather )?(?:be dead|die)\b(?!.{0,10}\b(?:than|of)\b)",
        r"\bno (?:reason|point) (?:to|in) (?:live|living|going on|being alive)\b|\b(?:tired|sick) of (?:living|being alive|life)\b|\b(?:see|is) (?:the |no |any )?point (?:of|in) (?:living|being alive|life|going on)\b",
        r"\b(?:stop|quit) existing\b|\b(?:happier|better|easier) (?:off )?(?:if i was|if i were|without me|when i'm gone)\b|\bif i was gone\b",
        r"\b(?:think|thinking|thought) (?:about|of) (?:ending it|ending my life|killing myself|dying|suicide|not being here)\b|\bending it (?:every day|tonight|soon|all)\b",
        r"\b(?:plan|plans|planning|going|gonna|wants?) to (?:end (?:her|his|their) life|kill (?:her|him|them)self|(?:hang|hurt|cut) (?:her|him|them)self)\b|\b(?:hang|hanging|kill|killing|hurt|hurting|cut|cutting) (?:herself|himself|themselves)\b",
        r"\bbought (?:a )?(?:rope|noose|razor|blade)\b|\bthis is (?:my )?goodbye\b|\b(?:saying|said) goodbye forever\b|\bgoodbye forever\b",
        r"\b(?:sorry for being a burden|better off without (?:me|her|him))\b|\bleft a note\b.{0,60}\b(?:sorry|burden|goodbye|without)\b",
        r"\b(?:won't|will not|wont|not) be (?:alive|here|around) (?:tomorrow|anymore|much longer|by)\b|\bby tomorrow i\b",
        r"\bgoodbye (?:letters?|notes?|everyone|world|everybody)\b|\bsuicide note\b|\btonight'?s the night\b",
        r"\b(?:took|take|taking|swallowed|drank|drink|drinking|overdos\w*)\b.{0,25}\b(?:pills|tablets|meds|medicine|paracetamol|ibuprofen|tylenol|panadol|biogesic|sleeping pills|bleach|poison|rat poison)\b(?!.{0,30}\b(?:fever|headache|for a \d|year old)\b)",
        r"\bhow many\b.{0,30}\b(?:pills|tablets|paracetamol|ibuprofen|tylenol|panadol|biogesic)\b.{0,30}\b(?:die|kill|overdose|to die|lethal|not wake up|never wake)\b|\b(?:does it take|to take) to (?:die|not wake up)\b",
        r"\b(?:ilang|gaano karaming)\b.{0,30}\b(?:tableta|gamot|biogesic|paracetamol)\b.{0,40}\b(?:mamatay|magising|mawala)\b",
        r"\b(?:hindi|di) na (?:ako|aq) (?:magising|gigising)\b|\bwala na (?:lang )?(?:ako|aq) sa mundo\b|\b(?:matapos|matapos na) (?:na )?(?:lang )?lahat\b",
        r"\b(?:mabuhi|naghikog|maghikog|magpakamatay)\b|\bpatay na lang (?:ko|ako)\b|\bsapat na taas para tumalon\b|\bpara tumalon\b",
        r"\boverdos(?:e|ed|ing)\b", r"\b(?:jump|jumping) (?:off|from) (?:the |a |our )?(?:bridge|roof|building|balcony|window|rooftop)\b|\bthinking about jumping\b|\babout to jump\b",
        r"\b(?:can't|cannot|cant) (?:go on|do this anymore|take it anymore)\b.{0,40}\b(?:die|end|gone|life|alive)\b",
        r"\bkms\b|\bkys myself\b",
        r"\b(?:disappear\w*|vanish\w*)\b.{0,20}\b(?:forever|for good|permanently)\b|\bnot (?:to )?exist\b|\b(?:stop|cease) to exist\b",
        r"\b(?:wants?|wanted|wanting) to die\b|\bwish(?:es)? (?:she|he|they) (?:was|were) dead\b",
        r"\b(?:given|gave|giving) away (?:my|all my|her|his) (?:stuff|things|belongings|games|clothes)\b|\bsaid my goodbyes\b|\bwon\'t need (?:it|them|anything) after\b|\bwriting my will\b",
        r"\b(?:fastest|quickest|easiest|painless) (?:way|method) to die\b|\bhow to die (?:painlessly|quickly|fast)\b",
        r"\b(?:got|have|get) (?:the )?(?:pills|rope|blade|razor)\b.{0,20}\b(?:ready|tonight|n water|and water)\b",
        # Filipino and Taglish
        r"\b(?:magpapakamatay|magpakamatay|nagpakamatay|pagpapakamatay|maglaslas|naglalaslas|naglaslas|laslas|magbigti|magbibigti|nagbigti|bigti)\b",
        r"\b(?:gusto|gustong|gusto ko|gusto ko na|gusto ko nang|gusto ko n)\b.{0,20}\b(?:mamatay|mawala na|mawala sa mundo\w*|magpakamatay|matulog nang hindi na magising)\b",
        r"\b(?:ayoko|ayaw ko|ayaw ko na|ayoko na)\b.{0,20}\b(?:mabuhay|magising|mamatay)\b|\bmamatay (?:na lang|nalang)\b",
        r"\b(?:sana|sana'y) (?:hindi|di) na (?:ako|aq) (?:magising|gumising)\b",
        r"\b(?:wawakasan|tapusin|tatapusin|wakasan)\b.{0,15}\b(?:buhay ko|lahat|ang buhay)\b",
        r"\b(?:papatayin|patayin|sasaktan|saktan|sinasaktan|sinaktan) (?:ko )?(?:na )?(?:lang )?(?:ang |yung )?sarili ko\b",
        r"\b(?:mas mabuti|mas okay|mas ok|mabuti pa)\b.{0,10}\b(?:patay|mamatay|wala) (?:na )?(?:lang )?(?:ako|aq)\b",
        r"\b(?:ininom|iinom|uminom|lumunok|nilunok) (?:ko |ako )?(?:ng )?(?:lahat|maraming|isang banig|ang lahat)\b.{0,20}\b(?:gamot|tableta|biogesic|paracetamol|pills)\b|\bininom ko lahat\b",
        r"\b(?:tatalon|tumalon|talon)\b.{0,25}\b(?:tulay|rooftop|building|bintana|bubong|gusali)\b|\btatalon na (?:ako|aq)\b",
        r"\b(?:hiniwa|hiwain|sinugatan|sugatan) (?:ko )?(?:ang |yung )?(?:braso|pulso|kamay|hita|sarili) ko\b|\bblade\b.{0,20}\b(?:braso|pulso|sarili)\b",
        r"\b(?:bukas|mamaya) wala na (?:ako|aq)\b|\bpaalam (?:sa inyo|na sa inyo|sa lahat)\b",
        r"\bpagod na (?:ako|ko|aq) (?:sa buhay|mabuhay)\b",
        r"\b(?:gusto|gustong|gusto ko)\b.{0,25}\bmawala\b(?! (?:dito|sa)\b)",
        r"\b(?:iinom|inom|uminom|ininom|iinumin|inumin)\b.{0,30}\b(?:lason|zonrox|muriatic|silver cleaner|pang-?daga)\b|\blason\b.{0,20}\b(?:iinom|inumin)\b",
        r"\b(?:may )?lubid na (?:ako|aq)\b|\bnakaipon\b.{0,25}\b(?:gamot|pills|tableta)\b",
        r"\b(?:paano|paraan para|pinakamabilis na paraan)\b.{0,30}\b(?:mamatay|mamamatay|magpakamatay)\b",
        r"\bhanggang dito na lang (?:ako|aq)\b|\bletters? ko para\b|\bnakasulat na (?:yung |ang )?(?:letters?|sulat)\b",
        r"\bmatulog (?:at|nang|ng) (?:hindi|di) na (?:magising|gumising)\b|\bayoko na talaga\b.{0,60}\b(?:gamot|mawala|mamatay|sulat|letters?|pagod)\b",
        # From the Filipino dev split (tests/safety/crisis_fil.yml)
        r"\b(?:ayoko|ayaw ko|ayaw q|ayoq) na?\b.{0,12}\b(?:mbuhay|mabuhai|mabuhay)\b",
        r"\b(?:iinumin|inumin|iinom|ininom|lulunukin|nilunok)\b.{0,15}\blahat\b.{0,15}\b(?:gamot|tableta|pills)\b",
        r"\bkung patay na (?:ko|ako|aq)\b",
        r"\b(?:sinusugatan|sinugatan|hinihiwa|hiniwa|sinusunog|sinunog|pinapaso|pinaso)\b.{0,10}\b(?:ko )?(?:ang |yung |ung )?(?:sarili|braso|pulso|balat|hita|kamay) ko\b",
        r"\b(?:bukas|mamaya) wala na (?:ko|ako|aq)\b",
        r"\b(?:sana|dapat|dpat)\b.{0,10}\b(?:hindi|di) na (?:lang |lng )?(?:ako|aq) (?:ipinanganak|pinanganak)\b",
        r"\blubid\b.{0,30}\b(?:nakahanda|handa|kwarto|leeg|magbibigti)\b|\b(?:nakahanda|handa) na (?:ang |yung |ung )?lubid\b",
    ),
    "sexual-abuse-disclosure": _any(
        rf"\b(?:forc(?:e|es|ed|ing)|mak(?:e|es|ing)|made|pressur(?:e|es|ed|ing)) {ME} (?:to )?(?:have sex|do (?:sexual|sex|things|stuff|it)|sleep with|touch (?:him|her|them|his|their)|undress|strip|get naked|take (?:off|my) (?:my )?clothes|perform|pose|show (?:my|her|his) (?:body|private))\b",
        rf"\b(?:touch(?:es|ed|ing)?|grop(?:es|ed|ing)|fondl(?:es|ed|ing)|molest(?:s|ed|ing)?|rap(?:es|ed|ing)|abus(?:es|ed|ing)|assault(?:s|ed|ing)|violat(?:es|ed|ing)|fingered) {ME}\b(?! (?:phone|stuff|things))",
        rf"\b{WRITER} (?:was|got|have been|has been|am being|is being|'m being|are being|been|being) (?:raped|molested|sexually (?:abused|assaulted)|abused|touched|groped|forced|violated|assaulted|filmed|recorded)\b",
        rf"\b(?:touch(?:es|ed|ing)?|grab(?:s|bed|bing)?|rub(?:s|bed|bing)?) (?:my|her|his) {SEXUAL}\b|\bput (?:his|her|their) hands? (?:in|down|inside|on|under) (?:my|her|his) {SEXUAL}\b",
        rf"\b(?:film|films|filmed|filming|record|records|recorded|recording|video|videos|videoed|take pictures of|took pictures of|takes pictures of|takes photos of|took photos of|photograph\w*) (?:me|us|her|him|my (?:son|daughter|child|kid))\b.{{0,40}}\b(?:{SEXUAL}|showering|in the shower|for (?:the )?(?:foreigners?|money|customers|men)|passed out|asleep|sleeping)\b",
        r"\b(?:film|films|filmed|filming|show|shows|sell|sells|selling) (?:me|us|her|him) (?:for|to) (?:the )?(?:foreigners?|customers|men|adults|kano|afam)\b",
        r"\b(?:shows?|cam shows?|do shows)\b.{0,40}\b(?:on cam|on camera|on video call|for (?:adults|foreigners|men|customers|money))\b",
        rf"\b(?:sell|sells|selling|sold|offer|offers|offered|pimp\w*) {ME}\b",
        r"\b(?:on|in front of) (?:the )?(?:cam|camera|webcam|video call)\b.{0,40}\b(?:naked|undress\w*|touch\w*|for money|for the (?:foreigner|foreigners|customers))\b",
        r"\bforced to (?:have sex|do sexual|strip|undress|get naked|touch)\b|\bforced (?:me|her|him) to do sexual\b",
        r"\b(?:my (?:son|daughter|child|kid|student|pupil|niece|nephew|grandson|granddaughter|little (?:brother|sister))|anak ko|anak kong \w+|estudyante ko|pamangkin ko|apo ko)\b.{0,60}\b(?:(?:touch\w*|made (?:him|her) touch|abus\w*|molest\w*|rap(?:e|ed|ing)|grop\w*|fondl\w*) (?:him|her|them)\b|(?:hinawakan|hinahawakan|hinihipuan|hinipuan|ginagalaw|ginalaw|ginahasa|hinalay|minolestiya) (?:daw )?(?:siya|sya|sila)\b)",
        r"\b(?:makes|made|forces|forced|force|make) (?:her|him|me|them) (?:take off|remove|undress)\b|\btakes? (?:pictures|photos|videos) of (?:her|him|me)\b.{0,20}\b(?:naked|without|undress\w*)\b|\b(?:take off|takes off) (?:her|his|my) clothes and\b",
        r"\bput (?:his|her|their) hands? (?:in|inside|down|under) (?:her|his|my) (?:swimsuit|shirt|skirt|shorts|dress|pants|underwear|clothes)\b",
        r"\b(?:forces|forced|force|pressures|pressured) (?:him|her|me|them) (?:into|to do) (?:sexual|sex)\b|\b(?:sexual|sex) (?:acts|stuff|things) (?:on cam|on camera|for (?:money|old guys|men|adults|foreigners))\b|\b(?:get|got|gets) paid to do (?:sexual|sex|shows|stuff on cam)\b",
        r"\b(?:alone with (?:her|him)\b.{0,40}\btouch (?:her|him)|pays (?:her|his|their) \w+ (?:so|to)\b.{0,40}\b(?:alone with|touch))\b",
        r"\basking (?:me )?for nudes\b.{0,60}\b(?:i (?:already )?sent|i've sent|sent some|i'm 1[0-7]|i am 1[0-7])\b|\bi'm 1[0-7]\b.{0,60}\basking (?:me )?for nudes\b.{0,60}\bsent\b",
        r"\b(?:he|she|they) (?:does|did|do) (?:things|stuff|sexual things) to me\b|\b(?:comes|came|come) into my (?:room|bed) at night\b|\bkissed me and\b",
        r"\b(?:rapes?|raping|raped|molests?|molesting|molested|sexually (?:abus\w*|assault\w*)) (?:her|him|them|me|us)\b",
        r"\bhands? (?:inside|in|under|up|down) (?:my|her|his) (?:skirt|shirt|pants|shorts|dress|underwear|blouse|uniform|palda)\b",
        r"\b(?:hurts?|hurting|touch\w*) (?:her|him|me|them) (?:\')?down there\b|\bmakes (?:her|him|me) lie down\b",
        # Filipino and Taglish
        r"\b(?:ginagalaw|ginalaw|hinihipuan|hinipuan|hinihipo|hinipo|hinahalikan|hinalikan|ginahasa|ginagahasa|hinalay|hinahalay|minolestiya|minomolestiya|binaboy|binababoy)\b(?!.{0,25}\b(?:gamit|cellphone|phone|bag|laptop|pagkain)\b).{0,25}\b(?:ako|aq|kami|anak ko|kapatid ko)\b",
        r"\b(?:ni-?rape|nirape|nire-?rape|narape|na-?rape|ni rape)\b",
        r"\b(?:ginagalaw|ginalaw|hinihipuan|hinipuan|ginahasa|ginagahasa|hinalay) (?:ako|aq|kami)\b",
        r"\bginagawan (?:ako|aq|kami) ng (?:kahalayan|kalaswaan|masama)\b|\bkahalayan\b",
        rf"\b(?:hinahawakan|hinawakan|hinahaplos|hinaplos)\b.{{0,25}}\b{SEXUAL}\b",
        r"\b(?:pinipilit|pinilit|pinapilit|pinapagawa|pinagagawa|pinapa|pinagawa) (?:niya |nya |nila )?(?:ako|aq|akong|kami|kaming)\b",
        r"\b(?:pinaghuhubad|pinaghubad|pinapahubad|pinahubad|nagpapahubad)\b",
        r"\b(?:pinapakita|pinakita|ipinapakita|binabayaran|binayaran) (?:ako|aq|kami|kaming)\b.{0,40}\b(?:cam|camera|video call|videocall|foreigner|kano|afam|pera|hubad|nakahubad|show)\b",
        r"\b(?:kinukunan|kinunan|vinivideohan|vinideohan|pinipicturean|pinicturan)\b.{0,20}\b(?:ako|aq|kami)\b.{0,30}\b(?:hubad|nakahubad|naked|walang damit|naliligo)\b",
        r"\b(?:mag-?video ?call|mag-?vc|video call) na (?:nakahubad|hubad|walang damit)\b",
        r"\b(?:nag-?video|nagvideo|vinideo|kinuhanan|kinukuhanan)\b.{0,20}\b(?:sakin|sa akin|ako|saakin)\b.{0,40}\b(?:naliligo|hubad|walang damit|nakahubad)\b",
        r"\b(?:pinapasayaw|pinasayaw|pinapahubad|hinuhubaran|hinubaran|naghuhubad)\b.{0,40}\b(?:ako|aq|walang damit|cam|camera|gabi|niya|pera|foreigner)\b",
        r"\b(?:pinapanood|sinisilipan|binobosohan|binoboso)\b.{0,20}\b(?:ako|aq)\b.{0,20}\b(?:maligo|naliligo|magbihis|nagbibihis)\b",
        r"\b(?:hinahawakan|hinawakan|hinahaplos) (?:ako|aq)\b.{0,20}\b(?:maselang|private|ari|dibdib)\b|\bmaselang (?:parte|bahagi)\b",
        r"\b(?:ginahikap|gihikap|gi-?rape|girape|gilugos|ginalugos)\b",
        r"\b(?:binebenta|ibinebenta|binenta) (?:ako|aq|kami)\b",
        r"\b(?:show|chat-?chat)\b.{0,40}\b(?:sa|para sa) (?:mga )?(?:foreigner|foreigners|afam|kano|customer)\b",
        r"\bmay nangyari (?:sa )?(?:amin|samin|sa amin)\b.{0,40}\b(?:ayaw ko|pinilit|pilit|hindi ko gusto)\b",
        r"\b(?:pinapahawak|pinahawak|pinapahimas|pinahimas)\b",
        r"\b(?:hinihimas|hinimas|hinihipo|hinipo)\b.{0,30}\b(?:ako|aq|hita|palda|dibdib|ari|ilalim)\b",
        r"\bpina\w*hubad\b|\bmaghubad\b.{0,30}\b(?:cam|camera|pera|binayaran|video)\b|\b(?:binayaran|binabayaran)\b.{0,30}\bmaghubad\b",
        r"\b(?:inooffer|ino-?offer|inaalok|inalok|binubugaw|ibinubugaw)\b.{0,20}\b(?:ako|aq|kami)\b",
        r"\b(?:kumuha|kinuhanan|kinunan|kinukunan)\b.{0,30}\b(?:pics|pictures|litrato|video)\b.{0,40}\b(?:hubad|nakahubad|nagbibihis|naliligo)\b",
        # From the Filipino dev split (tests/safety/crisis_fil.yml)
        r"\b(?:pinagawa|pinapagawa|pinagagawa)\b.{0,15}\b(?:sakin|sa akin|ako)\b.{0,30}\b(?:sexual|bastos|hubad|cam|camera|video)\b",
        r"\bkandungan\b.{0,40}\b(?:hinahawakan|hinawakan|hinahaplos|hinihipuan)\b",
        r"\b(?:inabuso|inaabuso) (?:ako|aq|kami)\b|\bnang-?aabuso (?:sa akin|sakin)\b",
        r"\bpina(?:pa)?[- ]?(?:cam|camera|vc|video ?call|show|live)\b.{0,20}\b(?:ako|aq|kami|kaming)\b",
        r"\b(?:nag-? ?vi-?video|nagvivideo|vinivideo|vinideo|nag-? ?video)\b.{0,20}\b(?:sakin|sa akin|ako|saakin)\b.{0,40}\b(?:naliligo|hubad|walang damit|nakahubad)\b",
    ),
    "threat": _any(
        r"\b(?:threaten\w*|blackmail\w*|sextort\w*)\b.{0,40}\b(?:me|my|us)\b",
        r"\b(?:he|she|they|someone|somebody|this (?:guy|person|girl|man))(?:'s| is| are| was)? (?:threatening|threatened|blackmailing|blackmailed|sextorting)\b",
        r"\b(?:going to|gonna|will|'ll|'d|would) (?:post|share|send|leak|spread|upload|expose|release|show) (?:my|our|her|his|the) (?:pictures|pics|nudes|photos|videos?|private|chats?|screenshots)\b",
        r"\b(?:post|share|send|leak|spread|upload|expose) (?:my|our) (?:pictures|pics|nudes|photos|videos?)\b.{0,40}\b(?:unless|if i (?:don't|do not|dont)|if we (?:don't|dont)|or else)\b",
        r"\b(?:unless|if i (?:don't|do not|dont|say anything|tell|report)|or else|if i tell)\b.{0,50}\b(?:post|share|send|leak|spread|upload|expose|hurt|kill|ruin|tell everyone)\b",
        r"\b(?:post|share|send|leak|spread|upload|expose|hurt|kill|ruin|tell everyone|tell my)\b.{0,60}\b(?:unless (?:i|we)|if (?:i|we) (?:don't|do not|dont|say anything|tell|report))\b",
        r"\b(?:going to|gonna|will|'ll|threatens? to|said (?:he|she|they)(?:'d| would)|says (?:he|she|they)(?:'ll| will)) (?:hurt|kill|beat|harm|find|come for) (?:me|my (?:family|mom|mum|dad|sister|brother|parents|mother|father|little \w+|nanay|tatay)|us)\b",
        r"\b(?:says|said|told me)\b.{0,30}\b(?:he|she|they)(?:'ll|'d| will| would) (?:hurt|kill|ruin|tell everyone|post|share|send|show|expose)\b.{0,50}\b(?:unless|if|or)\b",
        r"\bif (?:you|your) (?:don\'t|do not|dont|won\'t|refuse to) (?:send|pay|give)\b.{0,60}\b(?:send|post|share|leak|spread|upload|show|expose)\b",
        r"\bi have (?:your|ur) (?:pictures|pix|pics|nudes|photos|videos?|vids?)\b",
        r"\b(?:wants?|asking for|demands?) (?:\w+ )?(?:\d+k?|money|cash|gcash|pesos|steam cards|gift cards)\b.{0,20}\bor (?:it|they|he|she|i)\b",
        r"\b(?:if|unless) (?:i|we|you|mom|my mom|mama) (?:ever )?\w+\b.{0,80}\b(?:he|she|they)(?:\'ll| will|\'d| would| is going to) (?:hurt|kill|beat|burn|stab|shoot|come and hurt)\b",
        r"\b(?:he|she|they)(?:\'ll| will|\'d| would| is going to|\'s going to) (?:hurt|kill|beat|burn|stab|shoot|come and hurt)\b.{0,60}\b(?:if|unless)\b",
        r"\b(?:have|get) (?:her|his|their) (?:brothers?|friends?|men|gang|boys) (?:to )?(?:beat|hurt|kill|jump) (?:me|us)\b",
        r"\b(?:kill|hurt|beat|stab|shoot) (?:our|my) (?:whole )?family\b.{0,40}\b(?:if|unless|by)\b",
        # Filipino and Taglish
        r"\b(?:ikakalat|ipapakalat|ipagkakalat|ikalat|ipost|ipopost|ipo-?post|isesend|ise-?send|ia-?upload|iaupload|ipapakita|ipakita|ikakalat daw)\b.{0,40}\b(?:ko|namin|nudes|pics|pictures|picture|litrato|video|chats|sa lahat|sa buong)\b",
        r"\b(?:kung|pag|kapag) (?:hindi|di) (?:ako|aq|kami|ko) (?:magbabayad|magbayad|nagbayad|magpapadala|magpadala|magsesend|magsend|nagsend|susunod|sumunod|pumayag|bibigyan)\b",
        r"\b(?:papatayin|sasaktan|babarilin|sasaksakin|bubugbugin|ikukulong|aabangan)\b.{0,30}\b(?:ako|aq|kami|pamilya ko|si mama|si papa|si nanay|si tatay|kapatid ko)\b.{0,40}\b(?:pag|kung|kapag)\b",
        r"\b(?:papatayin|sasaktan|babarilin|sasaksakin) (?:daw |niya |nila )?(?:ako|aq|kami|ang pamilya ko|yung pamilya ko|pamilya ko)\b",
        r"\b(?:binabantaan|binantaan|pinagbabantaan|pinagbantaan|nagbabanta|tinatakot|tinakot)\b.{0,20}\b(?:ako|aq|kami|niya ako|sakin|sa akin)\b|\bnagbabanta\b.{0,30}\b(?:ileleak|ikakalat|ipapakalat|ipopost|pics|nudes|video)\b",
        r"\b(?:pay|send (?:money|more|\d+k?)|\d+k|\w*pesos)\b.{0,10}\bor\b.{0,30}\b(?:posts?|shares?|sends?|sees|will see|leaks?|spreads?|everyone)\b",
        r"\b(?:he|she|they)(?:'ll| will|'d| would) (?:spread|post|leak|share|send|throw|break|burn|hurt|kill|beat)\b.{0,60}\b(?:unless|if (?:i|she|he|we) (?:tell|don't|dont|date|leave|report|say))\b",
        r"\b(?:being|been|is|am|are) (?:threatened|blackmailed)\b|\b(?:bina-?blackmail|binablackmail|ginahulga|gihulga|gi-?threaten|ginathreaten)\b|\bileleak\b",
        r"\b(?:pag|kapag|kung) (?:nagsumbong|magsumbong|nagsabi|magsabi|sinabi) (?:ako|aq|kami)\b",
        r"\b(?:bubuhusan|susunugin|sasaksakin|babarilin|bubugbugin|i-?ja-?jump|ijajump|papatayin|sasaktan)\b.{0,40}\b(?:pag|kung|kapag|if)\b",
        r"\b(?:pinagbantaan|binantaan|binabantaan)\b",
    ),
}

# A message that resolves itself ("someone's at the door, it's my pizza") or names a
# harmless version of a category ("she threatened to tell mum") does not count for it.
_BENIGN: dict[str, re.Pattern] = {
    "imminent-danger": _any(
        r"\b(?:it's|its|it was) (?:just |only )?(?:my|the|our|a) (?:pizza|food|delivery|package|parcel|grab|lalamove|order|friend|mom|mum|dad|lola|lolo|tita|tito|neighbou?r|cat|dog)\b",
        r"\blang pala\b", r"\bfalse alarm\b", r"\bang kulit\b", r"\b(?:ok|okay) na (?:ako|kami)\b", r"\bpillows?\b|\bplay ?fight\w*\b",
        r"\b(?:ng|yung|ang|ung) (?:pusa|aso|tuta|kuting)\b",
    ),
    "self-harm": _any(r"\bwhat are (?:the )?(?:warning )?signs\b"),
    "threat": _any(
        r"\b(?:biro lang|joke lang|charot|jk)\b",
        r"^\W*what (?:is|are) (?:sextortion|blackmail\w*)\b(?!.{0,80}\b(?:he|she|they|someone|somebody)\b)",
        r"\b(?:threaten\w*|tinakot|binantaan|tinatakot)\b.{0,40}\b(?:to tell (?:mom|mum|dad|my mom|my mum|my dad|the teacher|on me)|(?:na )?isusumbong)\b",
        r"\bthreaten\w* to (?:take (?:away )?my|give (?:us|me) (?:all )?(?:a )?(?:zero|detention|f)|ground me|confiscate|cancel|call my parents|send me to (?:bed|my room))\b",
        r"\bthreatening to spoil\b",
        r"\bpapatayin\b.{0,30}\bni (?:mama|papa|nanay|tatay|mommy|daddy|mami|dadi)\b.{0,40}\b(?:bagsak|quiz|exam|grades?|assignment|late|uwi|curfew|report card)\b",
        r"\bbaby (?:pics|pictures|photos|litrato)\b",
    ),
}

# The words themselves ("suicide", "self-harm") disclose nothing in a general question
# ("warning signs of self-harm", "a poster about suicide prevention").
_TOPIC_WORDS = re.compile(r"\bsuicid\w*\b|\bself[ -]?harm\w*\b|\bself[ -]?injur\w*\b")
_GENERAL = _any(
    r"\b(?:warning )?signs? (?:of|that)\b", r"\bhow (?:common|many|often|do i|do we|can i|can we|should|to)\b",
    r"\b(?:statistics|stats|research|paper|essay|thesis|report|poster|awareness|campaign|lesson|seminar|training|class|webinar|prevention month|article|book|documentary|movie|song|news)\b",
    r"\bin general\b", r"\bwhat (?:is|are|does)\b", r"\b(?:hotline|helpline) (?:number|numbers)\b",
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|me|my|myself|ako|aq|ko)\b")

_SAFE_WORD = re.compile(r"^\W*(?:help|tulong|saklolo|tulungan (?:mo|nyo|ninyo) ako)(?: me| po| please)?\W*$")
_FAMILY_MENTION = re.compile(rf"\b{FAMILY}\b")
# Family words naming a helper or a bystander, not the one doing harm.
_FAMILY_HELPER = re.compile(
    rf"\b(?:(?:told|tell|telling|asked|ask|called|call|texted|text|with|sinabi ko kay|sabihin kay|nagsumbong (?:ako )?kay|"
    rf"kay) (?:my |si |ni )?{FAMILY}|(?:to|sa) (?:my |your |ur )?{FAMILY}\b(?!'s)|(?:my )?{FAMILY} (?:isn't|is not|aren't|are not|wasn't|ay wala|wala) ?(?:home|here|around|sa bahay)?)\b"
)


def detect(text: str | None) -> Crisis | None:
    """The most urgent crisis the message discloses, or None."""
    plain = normalise(text)
    if not plain:
        return None
    if _SAFE_WORD.match(plain):
        return Crisis(SAFE_WORD, False)
    screened = _HARMLESS.sub(" ", plain)
    for category in CATEGORIES:
        benign = _BENIGN.get(category)
        if _PATTERNS[category].search(screened) and not (benign and benign.search(plain)):
            return Crisis(category, _family_offender(screened))
    if _TOPIC_WORDS.search(screened) and not _GENERAL.search(screened):
        return Crisis("self-harm", _family_offender(screened))
    return None


def family_offender(text: str | None) -> bool:
    """The family-offender flag for a message that the crisis model, not a rule, flagged:
    the rule holds in every tier."""
    plain = normalise(text)
    return bool(plain) and _family_offender(_HARMLESS.sub(" ", plain))


def _family_offender(plain: str) -> bool:
    """A parent, step-parent, relative or guardian is named other than as a helper."""
    spans = [m.span() for m in _FAMILY_HELPER.finditer(plain)]
    return any(
        not any(start <= match.start() < end for start, end in spans)
        for match in _FAMILY_MENTION.finditer(plain)
    )


# A reply that sends a child back to a parent or family member who may be the abuser.
_SUGGESTS_PARENT = re.compile(
    r"\b(?:tell|talk to|ask|speak to|go to|call|text|confide in|let) (?:your|a|one of your) "
    r"(?:parents?|mom|mum|mother|dad|father|family|relatives?|guardian|carer|caregiver|step-?parent)\b"
    r"|\b(?:sabihin|magsumbong|magsabi|kausapin) (?:mo )?(?:sa|kay|ang) (?:mama|papa|nanay|tatay|magulang|pamilya)",
    re.IGNORECASE,
)


def suggests_parent(text: str) -> bool:
    return bool(_SUGGESTS_PARENT.search(text))


# Words of harm, in any of the bot's languages: broader than the patterns above. The
# model's `crisis` guess counts only for a message that has one (bot/safety/component.py).
_RISK_WORDS = re.compile(
    r"\b(?:kill\w*|die|dying|dead|death|suicid\w*|hurt\w*|harm\w*|cut\w*|bleed\w*|pills?|overdos\w*|"
    r"hang\w*|jump\w*|end it|goodbye|gone|alive|live|living|scared|afraid|terrified|danger\w*|help|"
    r"follow\w*|door|window|outside|knife|gun|weapon|hit\w*|beat\w*|chok\w*|lock\w*|trapped|"
    r"touch\w*|naked|nude\w*|undress\w*|clothes|private|rape\w*|molest\w*|abus\w*|forc\w*|sex\w*|"
    r"film\w*|video\w*|cam|camera|show|pictures?|pics?|photos?|threat\w*|blackmail\w*|post|leak\w*|"
    r"pay|money|unless|secret|"
    r"mamatay|patay|namatay|magpakamatay|buhay|mabuhay|saktan|sinasaktan|sakit|dugo|takot|natatakot|"
    r"tulong|saklolo|sunod\w*|habol\w*|pinto|bintana|labas|kutsilyo|baril|bugbog\w*|kulong\w*|"
    r"hawak\w*|hipo\w*|hubad\w*|galaw\w*|gahasa|halay|pilit\w*|banta\w*|kalat\w*|bayad|pera|"
    r"mabuhi|hadlok|tabang\w*|hikap\w*|hulga)\b"
)


def has_risk_words(text: str | None) -> bool:
    """Words of harm remain once hyperbole, fiction and resolved situations are screened out."""
    plain = normalise(text)
    if any(benign.search(plain) for benign in _BENIGN.values()):
        return False
    return bool(_RISK_WORDS.search(_HARMLESS.sub(" ", plain)))
