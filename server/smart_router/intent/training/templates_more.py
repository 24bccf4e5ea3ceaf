"""More phrasings per intent: indirect and conversational ways of asking, the words people use
when they do not name the task ("this is getting unwieldy", "is this ok to merge?"), and the
confusable pairs (a bug report against a review, an explanation against a fact) told apart.
Syntax in `templates_code.py`; these follow the other templates of their intent."""

# ruff: noqa: E501 - one template per line reads best

from __future__ import annotations

__all__ = ["MORE_TEMPLATES"]

MORE_TEMPLATES: dict[str, list[str]] = {
    "code_generation": [
        "en [we need|the app needs|i'd love] [a way|something|a feature] to [export reports as pdf|reset passwords by email|upload avatars|schedule posts|search by tag][|, can you code it|, write it]",
        "en [how would|how do] i [implement|build|make] {thing}[| in {lang}]? [code please|show the code|]",
        "en [starting from scratch|from zero|new file]: {thing}",
        "en [convert|turn] this [json|csv|spec|pseudo code|description] into [a {lang} class|{lang} code|a working function]: {prose}",
        "nl [we hebben|de app heeft|ik wil] een manier nodig om [rapporten als pdf te exporteren|wachtwoorden te resetten|avatars te uploaden][|, kun je dat bouwen|, schrijf de code]",
        "nl hoe [maak|bouw|implementeer] ik {ding}[| in {lang}][|?]",
    ],
    "code_explanation": [
        "en @sel [eli5|tldr of this|in plain words|what am i looking at|huh?|???|what?|and this?]",
        "en @sel [i'm confused by|confused about|not sure i follow] [this|this part|the second loop|what happens here]",
        "en @sel [where|when] does [this|this value|this callback|the loop] [get set|get called|stop|come from][|?]",
        "en @sel [what happens if|what would happen if] [i pass null|the list is empty|two threads call this|the request fails] [here|to this][|?]",
        "en @sel [why|how] is [this|this variable|this flag|that line] [needed|used|important|necessary][|?]",
        "en [i'm reading|i'm going through|i'm reviewing] [the codebase|{file}|an old project] and [don't get|can't figure out] [what|how] {sym} [does|works]",
        "nl @sel [snap ik niet|wat zie ik hier|huh?|en dit?|wat betekent dit]",
        "nl @sel [wanneer|waar] wordt [dit|deze waarde|deze callback] [aangeroepen|gezet|gebruikt][|?]",
        "nl @sel wat gebeurt er als [de lijst leeg is|ik null meegeef|twee threads dit aanroepen][|?]",
        "nl @sel waarom is [dit|deze variabele|die regel] [nodig|belangrijk][|?]",
        "de @sel [ich verstehe nicht|was bedeutet] [diese Zeile|das hier][|?]",
    ],
    "debugging": [
        "en @sel [there's a bug here|something is off|this is wrong somewhere|this gives weird results][|, find it|, can you spot it|]",
        "en @sel [it|this] [throws|blows up|explodes|dies|errors out] [when|if|on] [the list is empty|i pass null|the second call|large input][|, why]",
        "en [users report|customers say|qa says] [the app crashes|they get a blank page|the upload fails|they see {err}] [when|after] [logging in|saving|the update][|, help me find the cause]",
        "en [why am i getting|where does this come from:|what causes] {err}[|?]",
        "en [unexpected|weird|strange] [output|behaviour|result] [from|in] {sym}: [it prints twice|the order is random|values are off by one][|, why]",
        "en {trace}\n[started after the upgrade|only happens in prod|happens every other request]",
        "nl @sel [hier zit een fout in|er klopt iets niet|dit geeft rare resultaten][|, kun je het vinden]",
        "nl @sel [dit|het] [crasht|gooit een fout|faalt] [als|bij] [de lijst leeg is|null|grote invoer][|, waarom]",
        "nl [gebruikers melden|klanten zeggen] dat [de app crasht|ze een lege pagina zien|de upload mislukt] [na het inloggen|bij opslaan][|, hoe vind ik de oorzaak]",
        "nl [waarom krijg ik|waar komt dit vandaan:] {err}[|?]",
        "nl {trace}\n[sinds de update|alleen in productie|gebeurt af en toe]",
    ],
    "refactoring": [
        "en @sel [this could be|can this be] [shorter|simpler|cleaner|more elegant][|?]",
        "en @sel [i hate|i don't like] [how this looks|this nesting|these long functions][|, fix the structure|, restructure it]",
        "en @sel [reduce|lower] the [nesting|complexity|number of parameters|coupling] [here|of this function]",
        "en @sel [make this|rewrite this to be] [more testable|easier to extend|more modular|less coupled][| without changing what it does]",
        "en @sel [use|switch to] [a dict lookup|list comprehensions|early returns|an enum|streams|pattern matching] instead",
        "nl @sel [kan dit|dit kan vast] [korter|simpeler|netter|eleganter][|?]",
        "nl @sel [verminder|verlaag] de [nesting|complexiteit|koppeling] [hier|van deze functie]",
        "nl @sel [gebruik|zet om naar] [een dictionary|early returns|een enum|pattern matching] in plaats daarvan",
        "fr @sel [ce code est trop long|c'est illisible], [tu peux le restructurer|simplifie-le][| ?]",
    ],
    "test_generation": [
        "en @sel [make sure|ensure|prove] this [works|handles empty input|is correct] with [tests|a few unit tests|a test suite]",
        "en @sel [edge cases|corner cases] [to test|worth testing][| for this][|? write them]",
        "en [our coverage is low|coverage dropped|ci wants 80% coverage] [on|for] {file}, [add tests|write the missing tests]",
        "nl @sel [zorg|bewijs] dat dit [werkt|klopt] met [tests|een paar unittests]",
        "nl [onze dekking is laag|coverage is gezakt] voor {file}, [voeg tests toe|schrijf de ontbrekende tests]",
    ],
    "documentation": [
        "en @sel [nobody|no one] [understands|gets] this [function|module] [without a comment|, document it|, explain it in the docstring]",
        "en @sel [write up|describe] [how to use|the contract of] this [for the docs|in the docstring|for the wiki]",
        "en [update|fix|refresh] the [docs|readme|docstrings|api docs] [after|for] [the rename of {sym}|the new config options|the breaking change]",
        "nl @sel [niemand|geen mens] snapt deze [functie|module] zonder [commentaar|documentatie], [schrijf het|documenteer het]",
        "nl [werk|update] de [documentatie|readme|docstrings] bij [na|voor] [de nieuwe configuratie|de hernoeming van {sym}]",
    ],
    "code_review": [
        "en @sel [would you approve this|would you merge this|ship it?|good to go?|can i merge][|?]",
        "en @sel [be honest|brutal honesty please|don't hold back], [how bad is this|is this code any good|what's wrong with this]",
        "en @sel [am i doing this right|is this how you'd do it|is this a reasonable approach][|?]",
        "en @sel [check|review] [my|this] [error handling|naming|use of locks|sql|input validation][| please][|?]",
        "en [here's|here is] my [solution|implementation|attempt|pr][|, feedback welcome|, what do you think|, thoughts?]{code}",
        "nl @sel [zou jij dit goedkeuren|kan dit zo gemerged worden|klaar voor productie][|?]",
        "nl @sel [doe ik dit goed|is dit hoe jij het zou doen|is dit een redelijke aanpak][|?]",
        "nl [hier is|dit is] mijn [oplossing|implementatie|poging][|, feedback welkom|, wat vind je ervan]{code}",
        "de @sel [ist das so in Ordnung|würdest du das so mergen][|?]",
    ],
    "architecture": [
        "en [we are|we're] [outgrowing|hitting the limits of] [our single postgres|the monolith|one server|our cron setup][|, what should the next architecture look like|, how do we evolve it]",
        "en [how should|how would you] [the modules|our services|the layers|the components] [depend on each other|be split|be organised] [in|for] [this project|a clean architecture|our app][|?]",
        "en [what|which] [components|services|building blocks] [do i need|would you use] for {thing}[| at scale][|?]",
        "en [design|plan] [the api boundaries|the service boundaries|the data flow|the module structure] [for|of] [our billing system|the new app|a marketplace]",
        "nl [we lopen tegen de grenzen aan van|we groeien uit] [onze ene database|de monoliet|één server], [hoe moet de architectuur er dan uitzien|hoe pakken we dat aan][|?]",
        "nl [hoe|wat] [verdeel ik|zijn goede grenzen voor] [de modules|de services|de lagen] [in|van] [dit project|onze app][|?]",
        "nl [welke componenten|wat voor bouwstenen] heb ik nodig voor {ding}[| op schaal][|?]",
    ],
    "reasoning": [
        "en [quick math|math question|mental math]: [{a} * {b}|{a} / {b}|{a}% of {c}|{a} + {b} * {c}][|?]",
        "en [how long|how many days|how many hours] [until|between] [christmas from december {b}|9:15 and 17:40|monday 8am and wednesday 2pm][|?]",
        "en [logic question|quick logic check]: [if it rains the street is wet; the street is wet; did it rain|no cats are dogs and some pets are cats; are some pets not dogs][|?]",
        "nl [rekenvraag|even rekenen]: [{a} * {b}|{a} / {b}|{a}% van {c}][|?]",
        "nl [hoe lang|hoeveel uur] [zit er tussen|is het van] [9:15 en 17:40|maandag 8 uur en woensdag 14 uur][|?]",
    ],
    "writing": [
        "en [help me|can you help me] [write|word|phrase] [a reply to this email|my out-of-office|a message declining the offer|feedback for my coworker][| politely]",
        "en [shorten|expand|simplify] this [text|paragraph|announcement][ for twitter| for a slide|]:\n{prose}",
        "nl [help me|kun je me helpen] [een antwoord te schrijven op deze mail|mijn afwezigheidsmelding|een beleefde afwijzing][| te formuleren]",
        "nl [maak|herschrijf] deze tekst [korter|simpeler|langer][ voor een slide| voor linkedin|]:\n{prose}",
    ],
    "general": [
        "en [what's|what is] [the latest version of|the default port of|the file extension for|the license of] [python|postgres|rust|react|typescript][|?]",
        "en [ok|okay|alright|hmm|interesting|got it|nice][|!|.|, thanks]",
        "en [can you|do you] [speak dutch|help with homework|write in other languages|remember my name][|?]",
        "en [is|are] [vim or emacs|mac or linux|tabs or spaces|dark mode] [better|better for programming][|?]",
        "nl [wat is|welke] [de nieuwste versie van|de standaardpoort van|de licentie van] [python|postgres|react][|?]",
        "nl [ok|oké|prima|top|interessant|begrepen][|!|.|, dank je]",
        "nl [is|zijn] [vim of emacs|mac of linux|tabs of spaties] beter [voor programmeren|][|?]",
    ],
}
