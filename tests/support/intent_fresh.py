"""A fresh set of realistic editor requests for the intent classifier, written by hand BEFORE the
learned models were trained and never used to train or tune them (not by the corpus generator,
not by the trainer's calibration). It measures how the classifier does on requests phrased unlike
anything in `smart_router/intent/training/`: eleven or more per intent, English and Dutch (a few
German, French, Spanish), with code snippets, stack traces and editor contexts.

Used once by `tests/bench/bench_intent.py` and held to a modest floor by a unit test; do not
edit it to make a number go up."""

from __future__ import annotations

from smart_router.editor import EditorContext

__all__ = ["FRESH", "FRESH_FLOOR"]

Case = tuple[str, str, EditorContext | None]

FRESH_FLOOR = 0.9
"""The accuracy the tests hold the classifier to on this set: a floor under the figures measured
once the models were trained (94 % linear, 96 % blended; tests/bench/bench_intent.py), not a
target tuned towards."""

_RB = "def total(items)\n  items.map { |i| i[:price] * i[:qty] }.sum\nend\n"
_KT = "fun parse(s: String): Int? = s.toIntOrNull()?.takeIf { it > 0 }\n"
_SQL = "SELECT u.id, COUNT(o.id) FROM users u LEFT JOIN orders o ON o.user_id = u.id GROUP BY u.id;"
_CS_TRACE = (
    "System.InvalidOperationException: Sequence contains no elements\n"
    "   at System.Linq.ThrowHelper.ThrowNoElementsException()\n"
    "   at Shop.Cart.Cheapest() in C:\\src\\Shop\\Cart.cs:line 41"
)
_GO_TRACE = (
    "panic: assignment to entry in nil map\n\ngoroutine 1 [running]:\nmain.(*Cache).Put(...)\n"
    "\t/home/u/cache/cache.go:23\nmain.main()\n\t/home/u/cache/main.go:9 +0x45"
)
_PY_TRACE = (
    'Traceback (most recent call last):\n  File "etl.py", line 54, in <module>\n    df = df.merge(rates)\n'
    "pandas.errors.MergeError: No common columns to perform merge on."
)
_RB_SEL = EditorContext(language="ruby", file_path="/w/app/models/cart.rb", selection=_RB)
_KT_SEL = EditorContext(language="kotlin", file_path="/w/app/Parse.kt", selection=_KT)
_SQL_SEL = EditorContext(language="sql", file_path="/w/reports/q.sql", selection=_SQL)
_KT_DIAG = EditorContext(language="kotlin", selection=_KT, diagnostics=("Unresolved reference: toIntOrNull",))
_MD = EditorContext(language="markdown", file_path="/w/docs/blog/launch.md", selection=None)

FRESH: list[Case] = [
    # code_generation
    ("need a bash one liner that deletes node_modules folders recursively", "code_generation", None),
    ("Maak een Kotlin data class voor een factuur met regels en btw", "code_generation", None),
    ("could you knock together an express middleware that logs request duration", "code_generation", None),
    ("i want a python decorator that retries on ConnectionError 3 times", "code_generation", None),
    ("Schrijf een functie die controleert of een IBAN geldig is", "code_generation", None),
    ("add a --dry-run flag to this script", "code_generation", _RB_SEL),
    ("React hook for debounced search input pls", "code_generation", None),
    ("Erstelle eine Rust-Funktion, die eine CSV-Datei einliest", "code_generation", None),
    ("generate a terraform module for an s3 bucket with versioning", "code_generation", None),
    ("Programmeer een simpele todo-lijst in Svelte", "code_generation", None),
    ("scaffold a FastAPI endpoint that uploads a file to disk", "code_generation", None),
    # code_explanation
    ("what is this even doing", "code_explanation", _RB_SEL),
    ("Wat doet `?.takeIf` hier precies?", "code_explanation", _KT_SEL),
    ("walk me through this query", "code_explanation", _SQL_SEL),
    ("can someone explain why python's `for ... else` runs the else here", "code_explanation", None),
    ("Ik snap deze regex niet: ^(?=.*\\d)(?=.*[a-z]).{8,}$", "code_explanation", None),
    ("how does this sum work with the block", "code_explanation", _RB_SEL),
    ("Explique-moi ce que fait ce LEFT JOIN", "code_explanation", _SQL_SEL),
    ("break down what `useEffect(() => {...}, [])` means for a beginner", "code_explanation", None),
    ("Wat betekent die `*args, **kwargs` in de signatuur?", "code_explanation", None),
    ("line by line pls", "code_explanation", _KT_SEL),
    ("how come this returns null for 0", "code_explanation", _KT_SEL),
    # debugging
    (f"getting this when I click checkout\n{_CS_TRACE}", "debugging", None),
    (f"{_GO_TRACE}", "debugging", None),
    (f"de ETL job crasht:\n{_PY_TRACE}\nwat doe ik fout?", "debugging", None),
    ("why won't it compile", "debugging", _KT_DIAG),
    ("my docker container exits immediately with code 137", "debugging", None),
    ("De knop reageert niet meer sinds ik de state in een context heb gezet", "debugging", None),
    ("CORS error on fetch from localhost:3000 to :8000, headers look right??", "debugging", None),
    ("Warum bekomme ich hier eine NullPointerException?", "debugging", None),
    ("this returns the wrong total when qty is 0, help", "debugging", _RB_SEL),
    ("pytest hangs forever on the db fixture, no output", "debugging", None),
    ("De pagina laadt eindeloos en in de console staat 'Maximum update depth exceeded'", "debugging", None),
    # refactoring
    ("this is getting unwieldy, can we split it up", "refactoring", _RB_SEL),
    ("make this more idiomatic kotlin", "refactoring", _KT_SEL),
    ("Herschrijf dit met een CTE zodat het leesbaarder is", "refactoring", _SQL_SEL),
    ("get rid of the duplication between these two handlers", "refactoring", None),
    ("turn these nested ifs into guard clauses", "refactoring", None),
    ("Kun je dit opschonen zonder het gedrag te veranderen?", "refactoring", _RB_SEL),
    ("extract the pricing logic into its own service object", "refactoring", None),
    ("migrate this class component to a function component with hooks", "refactoring", None),
    ("Vereinfache diese Methode bitte", "refactoring", _KT_SEL),
    ("replace the magic numbers with named constants", "refactoring", None),
    ("modernise this to use pathlib instead of os.path", "refactoring", None),
    # test_generation
    ("need specs for this", "test_generation", _RB_SEL),
    ("Schrijf een paar testgevallen voor parse, ook voor negatieve getallen", "test_generation", _KT_SEL),
    ("jest tests for the reducer please, cover the edge cases", "test_generation", None),
    ("how would I unit test a function that calls datetime.now()?", "test_generation", None),
    ("add a regression test for the bug where qty 0 gave wrong totals", "test_generation", None),
    ("Maak een testsuite met pytest fixtures voor de database laag", "test_generation", None),
    ("write a table-driven Go test for ParseDuration", "test_generation", None),
    ("cypress e2e test for the login flow", "test_generation", None),
    ("Génère des tests unitaires pour cette classe", "test_generation", None),
    ("can you check this with some property based tests", "test_generation", _KT_SEL),
    ("mock out the S3 client and test upload()", "test_generation", None),
    # documentation
    ("docstrings pls, google style", "documentation", _RB_SEL),
    ("Schrijf KDoc voor deze functie", "documentation", _KT_SEL),
    ("write the README section on environment variables", "documentation", None),
    ("add JSDoc to every exported function in this file", "documentation", None),
    ("Documenteer de API endpoints in OpenAPI formaat", "documentation", None),
    ("comment this query so the next person understands it", "documentation", _SQL_SEL),
    ("write a docs page explaining how to configure SSO", "documentation", None),
    ("Voeg commentaar toe bij de lastige stukken", "documentation", _RB_SEL),
    ("changelog entry for the 1.4 release: new export, fixed timezone bug", "documentation", None),
    ("Erstelle eine Dokumentation für dieses Modul", "documentation", None),
    ("document the parameters and return value", "documentation", _KT_SEL),
    # code_review
    ("is this ok to merge?", "code_review", _RB_SEL),
    ("Zie jij hier problemen mee?", "code_review", _SQL_SEL),
    ("any red flags in this before I ship it", "code_review", _KT_SEL),
    ("review my PR: it adds caching to the user lookup", "code_review", None),
    ("Kun je een kritische blik werpen op deze implementatie?", "code_review", None),
    ("is this thread-safe or am I kidding myself", "code_review", None),
    ("what would a senior dev say about this code", "code_review", _RB_SEL),
    ("Check this diff for security issues", "code_review", None),
    ("Peux-tu relire ce code et me dire ce qui cloche côté style ?", "code_review", None),
    ("rate this solution, is it readable?", "code_review", _KT_SEL),
    ("Wat vind je van deze aanpak? Eerlijk zijn", "code_review", _RB_SEL),
    # architecture
    ("monolith or microservices for a 4 person team?", "architecture", None),
    ("Hoe zou je een multi-tenant SaaS opzetten qua database?", "architecture", None),
    ("where should the validation live: controller, service or domain layer?", "architecture", None),
    ("design the event flow between orders, payments and shipping", "architecture", None),
    ("We willen van cron jobs naar een queue, welke opzet raad je aan?", "architecture", None),
    ("should I use kafka or rabbitmq for this", "architecture", None),
    ("how to structure a large vue app, folders and state", "architecture", None),
    ("Entwirf die Architektur für eine Buchungsplattform", "architecture", None),
    ("sketch a caching strategy for our product catalog API", "architecture", None),
    ("what's a clean way to split read and write models here (CQRS?)", "architecture", None),
    ("Ontwerp een plugin-systeem voor onze editor", "architecture", None),
    # reasoning
    ("if a train leaves at 9:40 and travels 210 km at 84 km/h when does it arrive", "reasoning", None),
    ("Hoeveel handdrukken zijn er als 12 mensen elkaar allemaal een hand geven?", "reasoning", None),
    ("A bat and a ball cost 1.10 total, the bat costs 1 more than the ball. ball price?", "reasoning", None),
    ("roughly how many piano tuners are there in amsterdam", "reasoning", None),
    ("Is 391 een priemgetal?", "reasoning", None),
    ("solve for x: 3x - 7 = 2x + 5", "reasoning", None),
    (
        "Drie lampen, drie schakelaars, je mag één keer kijken. Hoe weet je welke bij welke hoort?",
        "reasoning",
        None,
    ),
    ("what's the probability of two sixes in a row", "reasoning", None),
    ("Wenn 4 Arbeiter 6 Tage brauchen, wie lange brauchen 3?", "reasoning", None),
    ("all bloops are razzies and some razzies are lazzies; are some bloops lazzies?", "reasoning", None),
    ("Bereken de rente na 5 jaar op 2000 euro tegen 3% per jaar", "reasoning", None),
    # writing
    ("write a linkedin post announcing our new release, not too salesy", "writing", _MD),
    ("Vertaal naar het Duits: wij zijn morgen gesloten", "writing", None),
    ("polish this paragraph, it reads clunky", "writing", _MD),
    ("Schrijf een bedankmail aan het team na de lancering", "writing", None),
    ("a haiku about merge conflicts", "writing", None),
    ("pretend you are a pirate and tell me about the weather", "writing", None),
    ("make this email to my landlord firmer but still polite", "writing", None),
    ("Herschrijf deze tekst voor kinderen van tien", "writing", None),
    ("Escribe una breve biografía para mi perfil profesional", "writing", None),
    ("come up with 10 names for a coffee subscription startup", "writing", None),
    ("summarise this article in three sentences for a newsletter", "writing", None),
    # general
    ("how do i undo the last git commit but keep the changes", "general", None),
    ("Wat is het verschil tussen TCP en UDP?", "general", None),
    ("who invented the transistor", "general", None),
    ("good morning! how are you today", "general", None),
    ("Welke sneltoets opent de terminal in VS Code?", "general", None),
    ("what does HTTP 418 mean", "general", None),
    ("Hoe zet ik een virtualenv op op Windows?", "general", None),
    ("recommend a good book on distributed systems", "general", None),
    ("thanks, that worked!", "general", None),
    ("Was ist der Unterschied zwischen Docker und einer VM?", "general", None),
    ("is it safe to delete ~/.cache", "general", None),
]
