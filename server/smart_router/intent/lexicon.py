"""The words and phrases that point at each intent, in English and Dutch, with the common verbs
of German, French and Spanish.

Each entry is a regular expression (matched case-insensitively on word boundaries against the
request's own words, code blocks removed) and a weight: 3 for a phrase that nearly settles the
intent ("write unit tests", "vertaal naar"), 2 for a strong word, 1 for a hint. The lexical
classifier (`lexical.py`) compiles them once into one pattern per intent.
"""

# ruff: noqa: E501 - regular expressions read best unbroken at the formatter's indentation

from __future__ import annotations

__all__ = ["LEXICON", "Entry"]

Entry = tuple[str, float]

_GAP = r"(?:[\w'./+#-]+\s+){0,3}(?:\w+-)?"
"""Up to three words between a verb and its object, and the first half of a compound (`Python-Skript`)."""

_CODE_NOUN = (
    r"(?:code|function|func|method|class|component|module|script|program|snippet|regex|regexp|query|"
    r"sql|endpoint|api|hook|decorator|loop|line|lines|file|selection|selected|block|expression|"
    r"algorithm|implementation|lambda|macro|closure|generic|type|interface|functie|methode|klasse|"
    r"regel|regels|bestand|stuk|fonction|funktion|función|código|Kode|Methode)"
)

LEXICON: dict[str, list[Entry]] = {
    "code_generation": [
        (
            r"(?:whip up|put together|knock out|spin up|i'?d like|i would like|produce|draft)\s+(?:me\s+)?"
            r"(?:a|an|the|some)?\s*" + _GAP + r"(?:utility|util|struct|bot|app|page|website|tool|service|cli|"
            r"script|function|class|component|module|program|model|models|code)",
            3,
        ),
        (
            r"(?:python|javascript|typescript|golang|rust|java|kotlin|c\+\+|c#|ruby|php|swift|html|css|bash|go)",
            1,
        ),
        (
            r"(?:(?:write|create|generate|implement|build|give me|i need|i want|need|want)\s+(?:me\s+)?"
            r"(?:a|an|the|some)?|make\s+(?:me\s+)?(?:a|an))\s*(?!this\b|that\b|these\b|those\b|it\b)"
            + _GAP
            + _CODE_NOUN.replace("code|", ""),
            3,
        ),
        (r"(?:write|generate|give me)\s+(?:the\s+|some\s+)?code\s+(?:for|that|to)", 3),
        (r"(?:code|program|build)\s+(?:me\s+)?(?:a|an)", 2),
        (r"add\s+" + _GAP + r"support", 2),
        (
            r"(?:script|function|class|component|app|game|bot|cli|tool|library|endpoint|plugin|extension|"
            r"skript|functie|klasse)",
            0.5,
        ),
        (r"implement(?:s|ing|ation of)?", 2),
        (r"(?:write|create|generate|build|scaffold|bootstrap)", 1),
        (
            r"(?:add|support)\s+(?:a\s+|an\s+)?(?:new\s+)?(?:feature|endpoint|option|flag|button|route|field|"
            r"command|method|parameter|column)",
            2.5,
        ),
        (
            r"(?:cli|rest api|crud|web ?scraper|parser|boilerplate|template|scaffolding|todo app|bash script|"
            r"shell script|one-liner|dockerfile|github action|workflow file|migration)",
            1.5,
        ),
        (
            r"(?:in|using|with)\s+(?:python|typescript|javascript|rust|go|golang|java|kotlin|c\+\+|c#|ruby|"
            r"php|swift|bash|sql|react|vue|django|flask|fastapi|express|node)",
            1,
        ),
        (r"(?:that|which)\s+(?:takes|returns|accepts|reads|parses|converts|computes|fetches|sorts)", 1.5),
        (
            r"(?:schrijf|maak|genereer|bouw|implementeer|programmeer)\s+(?:voor (?:mij|ons) )?(?:een|me|mij|ons|nog een)\s+"
            + _GAP
            + r"\w*(?:functie|klasse|script|programma|methode|component|endpoint|query|api|app|route)\w*",
            3,
        ),
        (r"(?:implementeer|genereer|programmeer)", 2),
        (
            r"\w*(?:functie|script|klasse|programma|methode|component|endpoint|query)\s+(?:\S+\s+){0,4}"
            r"(?:schrijven|maken|bouwen|genereren|programmeren|implementeren)",
            3,
        ),
        (r"(?:schrijf|maak|bouw)\s+(?:een|de|me|mij)", 1),
        (r"voeg\s+(?:\w+\s+){0,3}(?:toe|functie|knop|endpoint|optie)", 1.5),
        (
            r"(?:die|dat)\s+(?:een|de|het)?\s*\w*\s*(?:teruggeeft|retourneert|inleest|omzet|berekent|sorteert)",
            1.5,
        ),
        (
            r"(?:schreibe|erstelle|implementiere|generiere)\s+"
            + _GAP
            + r"\w*(?:funktion|klasse|skript|programm|methode|code)",
            3,
        ),
        (
            r"(?:écris|écrivez|crée|créez|implémente|implémentez|génère)\s+(?:\w+\s+){0,3}"
            r"(?:fonction|classe|script|programme|méthode|code)",
            3,
        ),
        (
            r"(?:escribe|crea|implementa|genera)\s+(?:\w+\s+){0,3}(?:función|funcion|clase|script|programa|"
            r"método|código|codigo)",
            3,
        ),
    ],
    "code_explanation": [
        (r"what (?:does|would|will|do) .{0,60}(?:evaluate to|print|output|resolve to|compile to)", 3),
        (
            r"what\s+(?:does|do|is)\s+(?:this|that|the|these|it)\s+(?:\w+\s+){0,3}(?:do|doing|mean|for|return)",
            3,
        ),
        (r"what\s+does\s+(?:this|that|it)\b", 2.5),
        (
            r"what\s+is\s+(?:this|that|the)\s+" + _GAP + r"doing|(?:role|job|point) of (?:the|this)|"
            r"(?:describe|tell me) what (?:this|the|that)",
            3,
        ),
        (r"how\s+does\s+(?:this|that|it|the)\s+(?:\w+\s+){0,3}work", 3),
        (r"explain\s+(?:\w+\s+){0,3}" + _CODE_NOUN, 3),
        (
            r"(?:explain|explanation|walk me through|break (?:it|this) down|step through|help me understand|"
            r"eli5|what'?s going on (?:here|in)|meaning of)",
            2,
        ),
        (
            r"(?:why|how come)\s+(?:is|does|do|would|are)\s+(?:this|that|it|they|we|the)\s+(?:\w+\s+){0,4}"
            r"(?:use|using|written|need|here|declared|defined)",
            2,
        ),
        (r"line by line|in plain (?:english|words)|in simple terms|what is the purpose|purpose of", 2),
        (
            r"what(?:'s| is) (?:happening|going on)|break (?:down|\w+ down)|mean in (?:this|the)|"
            r"how does (?:this|the|that) \w+|time complexity of (?:this|the)|regel voor regel|"
            r"wat gebeurt (?:er )?(?:hier|in)",
            2.5,
        ),
        (
            r"(?:leg|legt)\s+(?:\w+\s+){0,4}uit|uitleg|wat\s+doet|hoe\s+werkt|wat\s+betekent|wat\s+is\s+het\s+doel|"
            r"begrijp (?:ik )?niet|waarom\s+(?:staat|gebruikt|wordt)",
            3,
        ),
        (
            r"(?:erkläre|erklär|was macht|wie funktioniert|explique|expliquez|que fait|comment fonctionne|"
            r"explica|explícame|qué hace|cómo funciona)",
            3,
        ),
    ],
    "debugging": [
        (
            r"(?:fix|debug|troubleshoot|diagnose)\s+(?:\w+\s+){0,3}(?:bug|error|issue|crash|problem|exception|"
            r"failure|test|warning|leak)",
            3,
        ),
        (
            r"(?:crash(?:es|ed|ing)?|segfault|segmentation fault|stack ?trace|traceback|backtrace|core dump|"
            r"panic(?:ked|s)?|exception|throws|thrown|raises|deadlock|race condition|memory leak|infinite loop|"
            r"hangs|freezes|stack overflow|null pointer|undefined is not|off[- ]by[- ]one|exit code|"
            r"exits? (?:\w+\s+){0,2}with (?:code|status)|oom|killed|error message|exceeded|out of memory|"
            r"timed? ?out|times out|recursion depth|not found|404|500|403|401)",
            2.5,
        ),
        (r"(?:stack ?trace|traceback|error message|foutmelding|stacktrace)", 4),
        (
            r"what(?:'s| is) wrong|never (?:terminates|ends|finishes|returns|called|fires)|"
            r"(?:doesn'?t|does not|won'?t|isn'?t|is not|can'?t|aren'?t)\s+(?:\w+\s+)?(?:work|load|show|render|wrap|"
            r"update|save|fire|trigger|connect|start|run|compile|build|open|return|display|change|match)\w*|"
            r"lege (?:lijst|pagina|waarde|string|response)|falen|stürzt\s+(?:\w+\s+){0,3}ab",
            2.5,
        ),
        (
            r"(?:bug|bugs|buggy|error|errors|fails|failing|failed|failure|broken|debug|debugging|wrong output|"
            r"wrong result|unexpected|not working|doesn'?t work|does not work|isn'?t working|stopped working|"
            r"won'?t compile|doesn'?t compile|does not compile|can'?t find|cannot find|returns? (?:none|null|nan|"
            r"undefined))",
            2,
        ),
        (r"(?:fix|fixing|fixed|resolve|workaround)", 1.0),
        (
            r"(?:(?:too|extremely|very|really|super) slow|takes (?:forever|ages|minutes)|fatal error|exhausted|"
            r"(?:lukt|werkt) (?:\w+\s+){0,2}niet|traag|performance (?:issue|problem)|slow(?:er)? (?:than|on|when))",
            2.5,
        ),
        (
            r"why\s+(?:does|do|is|am|are|did|would|won'?t|doesn'?t|isn'?t|can'?t)\s+(?:\w+\s+){0,6}"
            r"(?:fail|crash|throw|break|hang|error|null|none|nan|undefined|empty|wrong|slow|leak|timeout|time out|"
            r"blank|duplicate|twice|missing|not)",
            3,
        ),
        (
            r"(?:fout|fouten|foutmelding|werkt niet|crasht|gecrasht|loopt vast|hangt|kapot|faalt|mislukt|"
            r"gooit een|geeft een (?:fout|error|exception)|verkeerde (?:uitkomst|output|waarde)|lek|"
            r"wat (?:doe ik|gaat er|is er) (?:\w+\s+)?(?:fout|mis)|geeft (?:\w+\s+){0,2}(?:undefined|null|none|nan|"
            r"niets|niks) (?:terug|weer))",
            3,
        ),
        (
            r"(?:los|repareer|fiks|verhelp)\s+(?:\w+\s+){0,4}(?:op|fout|bug|probleem|error)|repareer|debuggen",
            3,
        ),
        (r"waarom\s+(?:\w+\s+){0,6}(?:fout|crasht|werkt|null|leeg|undefined|error|faalt|niet)", 2.5),
        (
            r"(?:fehler|funktioniert nicht|stürzt ab|absturz|behebe|erreur|ne (?:fonctionne|marche) pas|plante|"
            r"corrige|bogue|no funciona|falla|arregla|corrige|excepción|se cuelga)",
            2.5,
        ),
    ],
    "refactoring": [
        (
            r"(?:replace|swap)\s+(?:\S+\s+){0,4}(?:with|by)|use\s+(?:\S+\s+){1,3}instead of|"
            r"break\s+(?:\S+\s+){0,3}(?:into|up)|smaller (?:functions|classes|methods|pieces|components|modules)|"
            r"(?:clean|tidy)\s+(?:\w+\s+){1,2}up|remove (?:the )?duplication",
            3,
        ),
        (r"(?:pure|immutable|side[- ]effects?|mutate|mutation|readable|cleaner|idiomatic|shorter)", 1.5),
        (
            r"(?:convert|turn|migrate|port|move|change|transform)\s+(?:this|these|the|my|all)\s+(?:\S+\s+){0,5}"
            r"(?:to|into|out of|from)|reduce (?:the )?(?:\w+ )?complexity|apply (?:the|a) \w+ pattern|"
            r"inline (?:the|this)|zet\s+(?:\S+\s+){0,4}om (?:naar|in)|omzetten naar",
            3,
        ),
        (
            r"(?:refactor\w*|restructur\w*|reorganiz\w*|reorganis\w*|clean(?:ing)?\s*up|tidy\s*up|declutter|"
            r"deduplicate|de-?duplicate|dry (?:it|this) up)",
            3,
        ),
        (
            r"(?:rename|extract|split|inline|simplify|modernize|modernise|decouple|consolidate|flatten)\s+"
            r"(?:\w+\s+){0,3}(?:function|method|class|variable|module|component|code|this|it|into|logic|file)",
            3,
        ),
        (
            r"(?:rename|simplify|extract method|extract function|split (?:it|this) (?:up|into)|make (?:it|this) "
            r"(?:more )?(?:readable|cleaner|idiomatic|pythonic|maintainable|reusable|testable|shorter)|"
            r"more readable|readability|maintainability|code smell|duplication|duplicated code|less nested|"
            r"reduce (?:nesting|complexity|duplication)|nested ifs|guard clauses|early return)",
            2.5,
        ),
        (
            r"(?:convert|rewrite|port|migrate|turn)\s+(?:\w+\s+){0,4}(?:to|into|using|with)\s+(?:\w+\s+){0,2}"
            r"(?:async|await|typescript|a class|classes|dataclass|hooks|functional|list comprehension|"
            r"f-strings|pathlib|generators?|modern|es6|promises|streams|composition)",
            3,
        ),
        (r"(?:rewrite|improve)\s+(?:this|the|my)\s+(?:code|function|method|class|loop)", 2),
        (
            r"(?:herstructureer|vereenvoudig|hernoem|opsplitsen|splits|opschonen|ruim\s+(?:\w+\s+){0,3}"
            r"op|leesbaarder|netter|overzichtelijker|onderhoudbaarder|dubbele code|refactoren|"
            r"herschrijf\s+" + _GAP + r"\w*(?:functie|methode|klasse|code|lus|component|loop|query)\w*)",
            3,
        ),
        (r"herschrijf", 1.5),
        (
            r"(?:rewrite|redo|rework) (?:this|it|these)\s+(?:\w+\s+)?(?:with|using|in|as)|swap\s+(?:\S+\s+){0,5}for|"
            r"opdelen|te groot|(?:too|te) (?:long|big|large|complex|lang|ingewikkeld)|in (?:one|a single) place",
            3,
        ),
        (
            r"(?:umbenennen|vereinfache|aufräumen|umstrukturieren|refaktorisieren|refactoriser|renomme|simplifie|"
            r"restructure|refactoriza|renombra|simplifica|reestructura)",
            3,
        ),
    ],
    "test_generation": [
        (
            r"(?:unit|integration|e2e|end-to-end|regression|property-based|snapshot|smoke)[- ]?tests?|"
            r"(?:integratie|eenheids|regressie|eind-tot-eind|component)[- ]?tests?",
            3,
        ),
        (
            r"(?:write|add|create|generate|need|give me)\s+(?:\w+\s+){0,3}(?:tests?|specs?|test cases?|"
            r"test suite|assertions|rspec examples)",
            4,
        ),
        (
            r"tests? should i (?:write|add)|how (?:would|do|can|should) i test|show the test|regression tests?",
            3,
        ),
        (r"(?:a\s+)?tests?\s+(?:for|covering|that checks|that verifies|to cover)", 2.5),
        (
            r"(?:pytest|unittest|jest|vitest|mocha|jasmine|junit|xunit|nunit|rspec|testing library|"
            r"hypothesis|test coverage|code coverage|mock(?:s|ing)?|stub|fixtures?|parametri[sz]ed|table-driven|"
            r"test cases?|testcases|edge cases|tdd|assert(?:ions)?)",
            2,
        ),
        (r"(?:tests?|testing|testable)", 1),
        (
            r"(?:schrijf|maak|genereer|voeg)\s+(?:\w+\s+){0,3}(?:tests?|testgevallen|unittests?|testcases?)|"
            r"testgevallen|unittests?|testdekking|(?:tests?|testen)\s+(?:voor|van|bij)",
            3,
        ),
        (r"(?:testen|test)", 1),
        (
            r"\w*(?:tests?|testgevallen|testcases?)\s+(?:\S+\s+){0,2}(?:schrijven|maken|toevoegen|genereren)",
            4,
        ),
        (
            r"(?:tests? schreiben|testfälle|unit-tests?|tests unitaires|cas de test|écris des tests|"
            r"pruebas unitarias|casos de prueba|escribe pruebas|pruebas para)",
            3,
        ),
    ],
    "documentation": [
        (
            r"(?:docstrings?|jsdoc|javadoc|tsdoc|doxygen|rustdoc|godoc|xml doc|type hints? and docs|"
            r"readme|changelog|release notes|api (?:docs?|documentation|reference)|man page|docs page)",
            4,
        ),
        (r"(?:document|documenting|documentation|docs?)", 3),
        (r"(?:openapi|swagger|api description|asyncapi|(?:in|as) (?:a )?comment block)", 4),
        (
            r"(?:in|into|as|to)\s+(?:the\s+|het\s+|de\s+)?(?:code\s+)?(?:comments?|commentaar)|"
            r"kommentiere\w*|commente\w*|comenta\w*",
            4.5,
        ),
        (
            r"(?:add|write|generate)\s+(?:\w+\s+){0,2}(?:comments?|docs|doc comments?|inline comments?|"
            r"header comment)",
            3,
        ),
        (r"(?:comment|comments|annotate|wiki page)", 1.5),
        (r"(?:\w+\.md|usage guide|how-to guide|user guide|contributing guide|getting started guide)", 3),
        (
            r"(?:documentatie|docstrings?|commentaar|readme)\s+(?:\S+\s+){0,3}(?:schrijven|toevoegen|maken)",
            4.5,
        ),
        (
            r"(?:documentatie|documenteer|docstrings?|commentaar|opmerkingen|toelichting\s+bij\s+de\s+code|"
            r"handleiding)",
            4,
        ),
        (
            r"(?:dokumentation|dokumentiere|kommentare|documente|commentaires|documentación|documenta|"
            r"comentarios)",
            3,
        ),
    ],
    "code_review": [
        (
            r"(?:code[- ]?review|review\s+(?:\w+\s+){0,3}(?:code|pr|pull request|diff|changes?|commit|patch|"
            r"implementation|function|class|this|it|mine)|pull request|merge request|\bpr\b|\bmr\b|lgtm)",
            3,
        ),
        (r"(?:review\w*|critique|audit|second pair of eyes|look over|feedback on|überprüf\w*)", 3),
        (
            r"(?:looks? (?:ok|okay|good|fine|right)|before i (?:merge|ship|commit|push)|kritisch|rate (?:this|my)|"
            r"weak (?:spots|points)|suggest improvements|improvements? (?:to|for)|zwakke plekken|"
            r"(?:kijken|kijk) naar (?:deze|mijn) code)",
            3,
        ),
        (
            r"what would you (?:improve|change)|verbeterpunten|(?:problems?|issues?|problemen) in (?:this|these|my|deze)|"
            r"correct here|safe to (?:run|use|deploy|merge)|(?:is|are) (?:my|this|these) \w+ (?:correct|right|ok)|"
            r"spot (?:any )?(?:bugs|issues|problems)",
            3,
        ),
        (
            r"is\s+(?:this|that|it)\s+(?:the\s+)?(?:right|correct|proper|best|recommended|a good)\s+way|"
            r"(?:look|looking) at my (?:code|changes|implementation|solution)|do (?:anything )?differently|"
            r"what do you think (?:of|about)|wat vind je van|(?:bad|good|best) practices?|"
            r"security (?:problem|issue|risk|flaw|hole)s?",
            3,
        ),
        (
            r"(?:any|what)\s+(?:\w+\s+){0,2}(?:issues|problems|concerns|improvements|red flags|risks|smells)"
            r"\s+(?:with|in)",
            2.5,
        ),
        (
            r"is\s+(?:this|my|the)\s+(?:\w+\s+){0,2}(?:correct|good|idiomatic|secure|safe|thread-safe|"
            r"production[- ]ready|ok|okay|fine|efficient|best practice)",
            2.5,
        ),
        (
            r"(?:best practices?|security (?:issues|holes|review|vulnerabilit\w+)|vulnerabilit\w+|"
            r"would you approve|nitpicks?|diff)",
            1.5,
        ),
        (
            r"(?:beoordeel|bekijk\s+(?:\w+\s+){0,2}(?:code|pr|wijzigingen)|feedback|verbeterpunten|"
            r"is\s+(?:dit|deze code|mijn code)\s+(?:\w+\s+){0,2}(?:goed|correct|veilig|netjes)|"
            r"code-?review|review)",
            3,
        ),
        (
            r"(?:überprüfe|code-überprüfung|revue de code|relis (?:mon|ce) code|revisa (?:mi|este) código|"
            r"revisión de código)",
            3,
        ),
    ],
    "architecture": [
        (
            r"where should\s+(?:\S+\s+){1,5}(?:live|go|sit|be placed|belong)|(?:service )?boundaries|"
            r"(?:caching|scaling|deployment|sharding|partitioning|backup|versioning|migration) strateg\w+|"
            r"(?:should|does) (?:the )?\w+ service|"
            r"(?:graphql|rest|grpc|sql|nosql|kafka|rabbitmq|postgres\w*|mongo\w*|redis|monolith|microservices?)\s+"
            r"(?:or|of|vs\.?|versus|oder|ou|o)\s+(?:graphql|rest|grpc|sql|nosql|kafka|rabbitmq|postgres\w*|mongo\w*|"
            r"redis|monolith|microservices?)",
            3,
        ),
        (
            r"(?:architecture|architect|system design|high-level design|microservices?|monolith|"
            r"event[- ]driven|event sourcing|cqrs|hexagonal|clean architecture|domain-driven|ddd|"
            r"service mesh|message (?:queue|bus|broker)|pub/?sub|kafka|rabbitmq|load balanc\w+|sharding|"
            r"horizontal(?:ly)? scal\w+|scalab\w+|high availability|multi-tenant|caching layer|"
            r"design pattern|bounded context)",
            3,
        ),
        (
            r"(?:design|plan|propose|sketch|lay out|layout)\s+(?:\w+\s+){0,3}(?:system|service|services|"
            r"architecture|backend|platform|pipeline|schema|data model|api|infrastructure|layout|structure|"
            r"solution|database)",
            3,
        ),
        (
            r"how\s+should\s+(?:i|we)\s+(?:\w+\s+){0,2}(?:structure|organi[sz]e|split|design|layer|model|"
            r"architect)",
            3,
        ),
        (
            r"(?:trade-?offs?|scale to|millions of users|data model|database schema|folder structure|"
            r"project structure|component diagram|sequence diagram|separation of concerns|"
            r"which (?:database|framework|queue)|sql or nosql|rest or graphql|grpc)",
            2,
        ),
        (
            r"(?:architectuur|ontwerp\s+(?:\w+\s+){0,3}(?:systeem|service|api|database|schema|opzet|structuur|"
            r"platform|backend|oplossing|datamodel)|systeemontwerp|schaalbaar\w*|microservices?|opzet van|monoliet|"
            r"datamodel|gegevensmodel|databaseschema|"
            r"hoe\s+(?:moet|zou|kan)\s+(?:ik|we|je|jij|u)\s+(?:\S+\s+){0,5}(?:structureren|opzetten|inrichten|opdelen))",
            3,
        ),
        (r"(?:structuur|opbouw|indeling)\s+(?:voor|van)", 2),
        (
            r"(?:high[- ]level (?:plan|overview|design)|failover|multi-region|responsibilities between|"
            r"handles? \d+x|design (?:look|be) like|the design|which (?:message )?broker|how do the pieces)",
            3,
        ),
        (
            r"how should (?:the )?\w+(?: \w+)? (?:sit|communicate|interact|talk|be structured|be split)|layers|lagen|"
            r"data flow|components and|opzet voor|into packages|model (?:permissions|roles|the domain)|"
            r"(?:our|the) domain",
            2.5,
        ),
        (r"(?:architektur|entwirf|systemdesign|conçois|concevoir|arquitectura|diseña)", 3),
    ],
    "reasoning": [
        (
            r"(?:calculate|compute|solve|evaluate|simplify the expression|prove|proof|derive|integral|"
            r"derivative|equation|probability|expected value|how many|how much (?:time|money|water|longer)|"
            r"what is the (?:sum|product|value|probability|remainder)|percent(?:age)?|ratio|average speed|"
            r"estimate|how (?:much|many|long|far|old|often)|which (?:weighs|is) (?:more|less|heavier|larger|bigger|"
            r"smaller|longer|faster)|how (?:do|can|would) you (?:find|determine|know|tell|figure out) which)",
            2.5,
        ),
        (
            r"(?:to the power of|squared|cubed|square root|tot de macht|wortel van|kwadraat)",
            3,
        ),
        (
            r"(?:does not belong|odd one out|relationship between|(?:father|mother|brother|sister|son|daughter) of|"
            r"true, false,? or uncertain|what could be the reasons?|overtak\w+|facing|in total|altogether|"
            r"how much did|what is the total|the total (?:amount|cost|number))",
            2.5,
        ),
        (
            r"(?:is it possible to|show that|gemiddelde snelheid|hoe (?:lang|ver|vaak) duurt|hoe lang|hoe ver)",
            2,
        ),
        (
            r"prime (?:number|factor)s?|expected number|discount|coin flips?|kans dat|kop of munt|"
            r"always (?:tell the truth|lie)|\ball \w+ are\b|priemgetal",
            2.5,
        ),
        (
            r"(?:puzzle|riddle|brain ?teaser|logic (?:problem|puzzle)|syllogism|paradox|fermi|"
            r"knights and knaves|truth-teller|liar|deduce|infer|which (?:one|box|door|person)|step by step)",
            2.5,
        ),
        (
            r"(?:prime|factorial|fibonacci number|divisible|digits?|sequence|geometric|arithmetic|triangle|"
            r"circle|area|volume|radius|angle|matrix|vector|theorem|lemma|modulo|gcd|lcm|odds|dice|coin|cards|"
            r"chess\w*|domino\w*|speed|average|gemiddelde|snelheid|km|miles|hours|uur|minutes|interest|rente)",
            1,
        ),
        (r"(?:if|when)\s+(?:\w+\s+){0,8}(?:then|how many|how long|how much|what)", 1),
        (
            r"(?:bereken|reken\s+uit|hoeveel|vergelijking|kans dat|kansberekening|raadsel|puzzel|bewijs dat|"
            r"schat\s+(?:\w+\s+){0,3}(?:hoeveel|aantal)|los\s+(?:de\s+)?vergelijking|wiskunde|som van|procent)",
            3,
        ),
        (
            r"(?:berechne|wie viele|wie viel|rätsel|beweise|calcule|combien|énigme|prouve|calcula|cuántos|"
            r"cuántas|acertijo|demuestra)",
            3,
        ),
    ],
    "writing": [
        (r"(?:sound (?:more|less)|catchier|slogans?|taglines?|more polite|friendlier|\d+-word)", 3),
        (
            r"(?:write|draft|compose|pen)\s+(?:me\s+)?(?:a|an|the|some)?\s*" + _GAP + r"(?:email|e-mail|"
            r"letter|essay|poem|story|blog post|article|speech|tweet|post|cover letter|haiku|limerick|song|"
            r"lyrics|novel|chapter|script for a|dialogue|announcement|newsletter|toast|eulogy|bio|biography|"
            r"slogan|tagline|press release|review of the (?:movie|book|film)|motivation letter|linkedin)",
            3,
        ),
        (r"(?:grammar|spelling|typos|punctuation|wording)", 3),
        (
            r"(?:(?:pretend|imagine|picture|suppose)\s+(?:yourself|you(?:'re| are))|"
            r"(?:take on|embrace|play|assume|adopt)\s+the (?:role|persona|part|character)|embody|persona|"
            r"in character|speak like|as if you (?:are|were)|vivid|imagery|creative (?:language|writing)|"
            r"(?:unique|fictional|main) character)",
            3.5,
        ),
        (
            r"(?:polish (?:this|my)|ode|sonnet|verse|rhymes?|(?:apology|thank[- ]you) note|opening scene|"
            r"novel|detective|short story|reformulate|for a (?:\S+[- ])?(?:year[- ]old|child|kid|beginner) reader|"
            r"for (?:kids|children)|(?:naar|in) de (?:engelse|duitse|franse|spaanse|nederlandse) taal)",
            3,
        ),
        (
            r"(?:translate|translation|proofread|copyedit|paraphrase|rephrase|reword|polish (?:my|this) "
            r"(?:text|writing|paragraph)|tone|more formal|less formal|persuasive|"
            r"catchy|engaging|narrative|storytelling|prose|paragraph|essay)",
            2.5,
        ),
        (
            r"(?:pretend (?:you are|to be)|act as|roleplay|role-play|imagine you are|you are a|in the style of|"
            r"in the voice of|as if you were|stay in character)",
            2.5,
        ),
        (
            r"(?:summari[sz]e (?:this|the) (?:text|article|email|paragraph)|shorten this (?:text|email)|"
            r"rewrite (?:this|the|my) (?:\w+\s+){0,2}(?:text|paragraph|email|sentence|intro|introduction|story|"
            r"letter|bio|message))",
            3,
        ),
        (
            r"(?:vertaal|vertaling|schrijf\s+" + _GAP + r"\w*(?:mail|brief|gedicht|verha\w+|blog|artikel|"
            r"toespraak|tekst|essay|speech|post)\w*|herschrijf\s+(?:\w+\s+){0,2}\w*(?:tekst|alinea|mail|"
            r"zin|brief)|spelfouten|formeler|informeler|vriendelijker|beleefder|zakelijker|van toon|doe alsof|"
            r"stel je voor dat je|speel de rol|gedicht)",
            3,
        ),
        (r"(?:tekst|zin|alinea|brief|verhaal\w*|text|sentence|story|letter)", 1),
        (
            r"(?:übersetze|übersetzung|schreibe einen (?:brief|aufsatz|text)|gedicht|traduis|traduire|traduction|"
            r"rédige|poème|traduce|traducir|traducción|redacta|poema|cuento)",
            3,
        ),
        (
            r"(?:to|into|naar|in het|naar het)\s+(?:french|german|spanish|italian|dutch|english|chinese|japanese|"
            r"portuguese|frans|duits|spaans|engels|nederlands|italiaans)",
            3,
        ),
    ],
    "general": [
        (
            r"(?:how (?:do|can) i|how to)\s+(?:\w+\s+){0,2}(?:install|uninstall|upgrade|update|set up|setup|"
            r"configure|enable|disable|open|change|reset|use|run|start|stop|check|find|clone|push|pull|"
            r"revert|undo|activate|get|make|turn on|turn off|delete|remove|switch)",
            3,
        ),
        (
            r"(?:vs ?code|vscode|intellij|pycharm|xcode|android studio|jetbrains|keybinding|format on save)",
            1.5,
        ),
        (
            r"(?:extract|named entities|identify the|(?:from|in) the (?:given |following |presented |below )?"
            r"(?:text|texts|passage|paragraph|article|records|data|reviews|document)|on a scale of|describe the process|"
            r"differences? between|provide insights|share ideas|lesson plan|examples of|tips (?:for|on)|ideas for|"
            r"suggest (?:\w+\s+){0,2}(?:books|films|movies|places|ways|ideas))",
            2.5,
        ),
        (
            r"(?:latest (?:stable )?version|good night|goodnight|goedenavond|welterusten|waar vind ik|where do i find|"
            r"is \w+ (?:faster|better|slower|cheaper) than)",
            2.5,
        ),
        (
            r"(?:install|installed|installation|pip|npm|brew|apt-get|apt|conda|homebrew|keyboard shortcut|"
            r"shortcut|setting|settings|extension|version|command line|terminal|git (?:command|stash|rebase|"
            r"merge|checkout|log)|license)",
            1.5,
        ),
        (
            r"(?:what(?:'s| is| are)|who(?:'s| is| was)|when (?:was|did|is)|where (?:is|can|do)|"
            r"difference between|compare|vs\.?|versus|recommend|which is better|should i use|pros and cons|"
            r"history of|tell me about|what does \w+ stand for|meaning of the word)",
            1.0,
        ),
        (r"(?:hi|hello|hey|thanks|thank you|good morning|how are you|who are you|what can you do)", 2),
        (
            r"(?:hoe installeer|hoe\s+(?:kan|moet)\s+ik\s+(?:\w+\s+){0,3}(?:installeren|instellen|openen|"
            r"gebruiken|updaten|aanzetten|uitzetten)|verschil tussen|"
            r"hallo|bedankt|dank je|goedemorgen|welke\s+(?:is|raad))",
            2.5,
        ),
        (r"(?:wat is|wat zijn|wie is|wie was|wanneer)", 1.0),
        (r"(?:wie installiere|was ist|comment installer|qu'est-ce que|cómo instalo|qué es)", 2.5),
    ],
}
"""Per intent: (pattern, weight). Patterns are applied to lower-cased text on word boundaries."""
