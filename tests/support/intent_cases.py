"""Our own labelled test requests for the intent classifier, different from the exemplars in
`smart_router/intent/exemplars/`: realistic editor prompts for every intent in English and Dutch
(some German, French, Spanish), with code snippets, stack traces and editor contexts."""

from __future__ import annotations

from smart_router.editor import EditorContext

__all__ = ["CASES", "Case"]

Case = tuple[str, str, EditorContext | None]

_PY_TRACE = (
    "Traceback (most recent call last):\n"
    '  File "/srv/app/jobs.py", line 88, in run\n'
    "    rows = fetch(conn)\n"
    '  File "/srv/app/db.py", line 21, in fetch\n'
    "    return conn.execute(Q).fetchall()\n"
    "sqlite3.OperationalError: database is locked"
)
_JS_TRACE = (
    "TypeError: Cannot read properties of null (reading 'addEventListener')\n"
    "    at init (webpack:///./src/main.js:12:9)\n"
    "    at HTMLDocument.<anonymous> (webpack:///./src/main.js:30:3)"
)
_JAVA_TRACE = (
    "java.lang.IllegalStateException: Connection pool shut down\n"
    "\tat org.apache.http.util.Asserts.check(Asserts.java:34)\n"
    "\tat com.shop.client.PriceClient.get(PriceClient.java:57)"
)
_SNIPPET = (
    "def load(path):\n    with open(path) as f:\n        data = json.load(f)\n    return data['items']\n"
)
_TS_SNIPPET = (
    "export async function getUser(id: string) {\n  const res = await fetch(`/api/users/${id}`);\n"
    "  return res.json();\n}\n"
)
_PY = EditorContext(language="python", file_path="/w/app/service.py", selection=_SNIPPET)
_TS = EditorContext(language="typescript", file_path="/w/web/api.ts", selection=_TS_SNIPPET)
_PY_DIAG = EditorContext(
    language="python",
    selection=_SNIPPET,
    diagnostics=('"json" is not defined Pylance(reportUndefinedVariable)',),
)
_TS_DIAG = EditorContext(
    language="typescript",
    selection=_TS_SNIPPET,
    diagnostics=("Argument of type 'number' is not assignable to parameter of type 'string'. ts(2345)",),
)

_GO = EditorContext(
    language="go",
    selection="func (s *Store) Get(k string) (v []byte, ok bool) {\n\ts.mu.RLock()\n\tdefer s.mu.RUnlock()\n"
    "\tv, ok = s.m[k]\n\treturn\n}\n",
)
_RUST_DIAG = EditorContext(
    language="rust",
    selection="let n: u32 = input.trim().parse();",
    diagnostics=("mismatched types: expected `u32`, found `Result<_, _>`",),
)

CASES: list[Case] = [
    # code_generation
    (
        "Write a function in Python that flattens a nested dictionary with dotted keys",
        "code_generation",
        None,
    ),
    ("create a vue component for a star rating input", "code_generation", None),
    ("Implement a token bucket rate limiter in Go", "code_generation", None),
    ("I need a PowerShell script that renames all files in a folder to lowercase", "code_generation", None),
    (
        "Generate a TypeScript type guard for this interface:\n"
        "```ts\ninterface Pet { name: string; age?: number }\n```",
        "code_generation",
        None,
    ),
    ("Add a method to this class that returns the total price including VAT", "code_generation", _PY),
    ("code a simple snake game in pygame", "code_generation", None),
    ("Write an SQL migration that adds a nullable column last_login to users", "code_generation", None),
    ("Give me a Python class for a min-heap without using heapq", "code_generation", None),
    ("Schrijf een functie die het aantal werkdagen tussen twee datums berekent", "code_generation", None),
    ("Maak een bash-script dat elke nacht een dump van de database maakt", "code_generation", None),
    (
        "Kun je een TypeScript-functie schrijven die een querystring omzet naar een object?",
        "code_generation",
        None,
    ),
    ("Genereer een Express-route die een bestand uploadt naar S3", "code_generation", None),
    ("Implementeer een binaire zoekboom in Java met insert en delete", "code_generation", None),
    ("Schreibe ein Python-Skript, das eine CSV-Datei in JSON umwandelt", "code_generation", None),
    ("Crea una función en JavaScript que valide un correo electrónico", "code_generation", None),
    ("write a k8s deployment yaml for a redis instance with a persistent volume", "code_generation", None),
    ("now also add pagination support to that endpoint", "code_generation", None),
    # code_explanation
    ("what does this do?", "code_explanation", _PY),
    ("Why?", "code_explanation", _TS),
    ("Can you explain how this function works?\n```python\n" + _SNIPPET + "```", "code_explanation", None),
    (
        "Explain what `Array.prototype.reduce` is doing in this snippet: "
        "const s = xs.reduce((a, b) => a + b, 0)",
        "code_explanation",
        None,
    ),
    ("how does the selected code handle the async part", "code_explanation", _TS),
    ("What's the point of the `__slots__` line in this class?", "code_explanation", _PY),
    (
        "Walk me through this awk one-liner: awk -F, '{s+=$3} END {print s}' data.csv",
        "code_explanation",
        None,
    ),
    ("What is this bit-twiddling doing? x & (x - 1)", "code_explanation", None),
    ("explain this", "code_explanation", _PY),
    ("Wat doet deze code?", "code_explanation", _TS),
    ("Leg eens uit hoe deze functie met het bestand omgaat", "code_explanation", _PY),
    ("Waarom staat hier een `await` voor de fetch?", "code_explanation", _TS),
    ("Hoe werkt deze regex precies? ^\\d{4}\\s?[A-Z]{2}$", "code_explanation", None),
    (
        "Kun je uitleggen wat deze SQL-join doet?\n```sql\nSELECT * FROM a JOIN b USING (id);\n```",
        "code_explanation",
        None,
    ),
    ("Was macht dieser Code genau?", "code_explanation", _PY),
    ("Que fait cette fonction ?", "code_explanation", _TS),
    ("what is the role of the second argument in this call: setTimeout(fn, 0)", "code_explanation", None),
    ("Describe what this Rust match expression is doing with the Option", "code_explanation", None),
    # debugging
    ("why does this crash\n" + _PY_TRACE, "debugging", None),
    (_JS_TRACE, "debugging", None),
    ("explain this stack trace\n" + _JAVA_TRACE, "debugging", None),
    ("fix this", "debugging", _PY_DIAG),
    ("What's wrong here?", "debugging", _TS_DIAG),
    ("My Docker container exits immediately with code 137", "debugging", None),
    ("the login button does nothing when I click it, no errors in the console", "debugging", None),
    ("Why is my pandas merge producing duplicate rows?", "debugging", None),
    ("This recursion hits maximum recursion depth exceeded for n=5000, how to fix?", "debugging", None),
    ("cargo build fails: error[E0382]: borrow of moved value: `config`", "debugging", None),
    (
        "Waarom krijg ik hier een KeyError?\n"
        + _PY_TRACE.replace("sqlite3.OperationalError: database is locked", "KeyError: 'items'"),
        "debugging",
        None,
    ),
    ("De app crasht zodra ik op opslaan druk", "debugging", None),
    ("Mijn unittest faalt met AssertionError: expected 200 got 404", "debugging", None),
    ("Deze functie geeft altijd undefined terug, wat doe ik fout?", "debugging", _TS),
    ("Los deze fout op", "debugging", _PY_DIAG),
    ("Warum bekomme ich hier einen Fehler?", "debugging", _TS_DIAG),
    ("Mon application plante au démarrage avec une erreur de segmentation", "debugging", None),
    (
        "the build works on my machine but in CI webpack says Module not found: Error: Can't resolve './Foo'",
        "debugging",
        None,
    ),
    # refactoring
    ("rename and split this function", "refactoring", _PY),
    ("Refactor this to use a dict dispatch instead of the if/elif chain", "refactoring", None),
    ("can you clean this up a bit", "refactoring", _TS),
    ("Extract the HTTP call into a separate function so I can reuse it", "refactoring", _TS),
    ("Make this function pure, it shouldn't mutate its argument", "refactoring", None),
    (
        "Convert this promise chain to async/await: fetch(u).then(r => r.json()).then(show)",
        "refactoring",
        None,
    ),
    ("Replace the for loop with map and filter", "refactoring", None),
    ("This class is 900 lines, help me break it into smaller classes", "refactoring", None),
    ("Use pathlib instead of os.path in this module", "refactoring", _PY),
    ("Herschrijf dit met een list comprehension", "refactoring", _PY),
    ("Maak deze code overzichtelijker", "refactoring", _TS),
    ("Splits deze functie op in drie kleinere functies", "refactoring", None),
    ("Hernoem `d` en `tmp` naar betere namen", "refactoring", _PY),
    ("Refactor deze controller zodat de database-logica in een service zit", "refactoring", None),
    ("Vereinfache diese Funktion bitte", "refactoring", _PY),
    ("Simplifica este código, tiene demasiados if anidados", "refactoring", None),
    ("remove the duplication between these two handlers", "refactoring", None),
    # test_generation
    ("write a test for this", "test_generation", _PY),
    ("tests", "test_generation", _TS),
    ("Write pytest tests for load(): missing file, bad JSON, and the happy path", "test_generation", None),
    ("Can you add Jest tests covering getUser when the fetch rejects?", "test_generation", _TS),
    (
        "Generate a unittest.TestCase for the Stack class below\n```python\nclass Stack:\n"
        "    def __init__(self):\n"
        "        self.items = []\n```",
        "test_generation",
        None,
    ),
    ("I want 100% branch coverage for this function, write the tests", "test_generation", None),
    ("Write a Cypress test that fills in the signup form", "test_generation", None),
    ("mock the database and test the service layer", "test_generation", None),
    ("Create test fixtures for a user with an expired subscription", "test_generation", None),
    ("Schrijf tests voor deze functie", "test_generation", _PY),
    ("Maak een paar unittests voor de randgevallen", "test_generation", _TS),
    (
        "Kun je een pytest schrijven die controleert dat een lege lijst een ValueError geeft?",
        "test_generation",
        None,
    ),
    ("Voeg integratietests toe voor de betaal-API", "test_generation", None),
    ("Teste diese Funktion mit pytest", "test_generation", _PY),
    ("Écris un test Jest pour ce composant", "test_generation", None),
    ("what test cases am I missing for this? write them", "test_generation", _PY),
    # documentation
    ("add docstrings", "documentation", _PY),
    ("Write a docstring for load() in numpy style", "documentation", _PY),
    ("Document this function", "documentation", _TS),
    ("Generate a README section explaining the configuration file format", "documentation", None),
    ("Add TSDoc comments to the exported functions", "documentation", _TS),
    ("Write comments for the tricky parts of this algorithm", "documentation", None),
    ("Write a changelog for these commits", "documentation", None),
    ("Create an API doc for the /v2/invoices endpoints", "documentation", None),
    ("Voeg documentatie toe aan deze klasse", "documentation", _PY),
    ("Schrijf een docstring voor deze functie", "documentation", _PY),
    ("Zet uitleg in het commentaar bij elke stap", "documentation", _TS),
    ("Schrijf een README voor dit project in het Nederlands", "documentation", None),
    ("Documenteer de REST-endpoints van deze service", "documentation", None),
    ("Kommentiere diesen Code bitte", "documentation", _PY),
    ("Rédige la documentation de ce module", "documentation", None),
    ("add a header comment describing the file's purpose", "documentation", _TS),
    # code_review
    ("review this PR", "code_review", None),
    ("Can you review my implementation?", "code_review", _PY),
    ("Is this the right way to close the file handle?", "code_review", _PY),
    ("Any red flags in this diff?\n```diff\n- return a\n+ return a or b\n```", "code_review", None),
    ("Would this pass a senior engineer's review?", "code_review", _TS),
    ("Is there a security problem with how I build this SQL string?", "code_review", None),
    ("Please look at my changes and tell me what you would do differently", "code_review", None),
    ("Is this good code?", "code_review", _TS),
    ("review", "code_review", _PY),
    ("Kun je mijn code reviewen?", "code_review", _PY),
    ("Wat vind je van deze implementatie? Is dit goed?", "code_review", _TS),
    ("Geef feedback op deze pull request", "code_review", None),
    ("Is deze code veilig genoeg voor productie?", "code_review", _PY),
    ("Kannst du meinen Code überprüfen?", "code_review", _TS),
    ("Revisa este código, por favor", "code_review", _PY),
    ("check my code for bad practices", "code_review", None),
    # architecture
    ("design a microservice layout", "architecture", None),
    ("How should I organise the modules of a plugin-based CLI tool?", "architecture", None),
    ("We need to process 10k events per second; what architecture would you pick?", "architecture", None),
    ("Design the schema for a library system with books, members and loans", "architecture", None),
    (
        "Where should the business logic live in our Next.js app, API routes or a separate service?",
        "architecture",
        None,
    ),
    ("Propose a caching strategy for our read-heavy product catalogue", "architecture", None),
    ("What's a good architecture for offline-first mobile sync?", "architecture", None),
    ("Should the auth service own the user profile data or not?", "architecture", None),
    ("Ontwerp de architectuur van een app voor het reserveren van sportvelden", "architecture", None),
    ("Hoe zou je een systeem opzetten dat miljoenen sensordata per uur verwerkt?", "architecture", None),
    ("Wat is een goede structuur voor een grote Django-monoliet?", "architecture", None),
    ("Moeten we GraphQL of REST gebruiken voor onze nieuwe API?", "architecture", None),
    ("Ontwerp een datamodel voor facturen met meerdere btw-tarieven", "architecture", None),
    ("Entwirf ein System für die Verarbeitung von Bestellungen", "architecture", None),
    ("Diseña la arquitectura de un sistema de notificaciones", "architecture", None),
    (
        "split our monolith into services: which boundaries make sense for billing, users and reports?",
        "architecture",
        None,
    ),
    # reasoning
    ("what is 17*23", "reasoning", None),
    ("A farmer has 17 sheep and all but 9 run away. How many are left?", "reasoning", None),
    ("What's 3/8 as a percentage?", "reasoning", None),
    ("If I save 250 a month at 4% yearly interest, how much do I have after 10 years?", "reasoning", None),
    ("Solve: x^2 - 5x + 6 = 0", "reasoning", None),
    ("Which weighs more, a kilo of feathers or a kilo of iron?", "reasoning", None),
    ("Five people shake hands with each other once. How many handshakes?", "reasoning", None),
    (
        "Is it possible to cover a chessboard with two opposite corners removed using dominoes? Explain",
        "reasoning",
        None,
    ),
    ("How many trailing zeros does 100! have?", "reasoning", None),
    ("Wat is 12 keer 13?", "reasoning", None),
    ("Een trein rijdt 120 km in 1,5 uur. Wat is de gemiddelde snelheid?", "reasoning", None),
    ("Hoeveel dagen zitten er tussen 3 maart en 17 juni?", "reasoning", None),
    ("Bereken de omtrek van een rechthoek van 7 bij 4 meter", "reasoning", None),
    ("Een raadsel: ik heb steden maar geen huizen, wat ben ik?", "reasoning", None),
    ("Wie viel ist 7 Prozent von 350?", "reasoning", None),
    ("Si j'ai 3 pommes et j'en mange une, combien m'en reste-t-il ?", "reasoning", None),
    (
        "There are 3 switches outside a room and 3 bulbs inside; you can enter once. "
        "How do you find which switch "
        "controls which bulb?",
        "reasoning",
        None,
    ),
    # writing
    (
        "translate this paragraph to French: Our office will be closed on Monday for maintenance.",
        "writing",
        None,
    ),
    ("Write a friendly reminder email about the unpaid invoice", "writing", None),
    ("Make my intro paragraph more engaging", "writing", None),
    ("Write a limerick about a cat who codes", "writing", None),
    ("You are a medieval knight. Describe your breakfast.", "writing", None),
    ("Fix the grammar in this sentence: Me and him goes to the store yesterday", "writing", None),
    ("Draft a short bio for a conference speaker page", "writing", None),
    ("Write a product announcement for our new dark mode", "writing", None),
    ("Vertaal naar het Duits: Wij zijn morgen gesloten.", "writing", None),
    ("Schrijf een bedankmail aan mijn collega's voor mijn afscheid", "writing", None),
    ("Maak deze tekst wat vriendelijker van toon", "writing", None),
    ("Schrijf een verhaaltje over een kat die naar de maan gaat", "writing", None),
    ("Herschrijf deze zin in eenvoudige taal", "writing", None),
    ("Übersetze bitte ins Französische: Guten Morgen, wie geht's?", "writing", None),
    ("Escribe un poema corto sobre el mar", "writing", None),
    ("Write release announcement copy for Twitter and LinkedIn, upbeat tone", "writing", None),
    # general
    ("how do I install numpy", "general", None),
    ("What's the difference between TCP and UDP?", "general", None),
    ("how do I delete a remote git branch", "general", None),
    ("Which Python version should I use in 2025?", "general", None),
    ("What is the default port of PostgreSQL?", "general", None),
    ("hello", "general", None),
    ("How can I make VS Code format on save?", "general", None),
    ("Who created Linux?", "general", None),
    ("What is an LLM?", "general", None),
    ("Hoe update ik pip naar de nieuwste versie?", "general", None),
    ("Wat is Docker Compose?", "general", None),
    ("Hoe zet ik dark mode aan in VS Code?", "general", None),
    ("Wat is het verschil tussen RAM en opslag?", "general", None),
    ("Goedemorgen!", "general", None),
    ("Was ist ein Container?", "general", None),
    ("¿Qué es una API REST?", "general", None),
    ("thank you so much", "general", None),
    # a second round, written later in other words
    (
        "Could you whip up a small Python utility to watch a directory and print new files?",
        "code_generation",
        None,
    ),
    ("I'd like a Go struct plus JSON marshalling for an invoice with line items", "code_generation", None),
    ("Maak voor mij een eenvoudige todo-lijst in HTML en JavaScript", "code_generation", None),
    (
        "Generate the SQLAlchemy models for users and orders with a one-to-many relation",
        "code_generation",
        None,
    ),
    ("Write the code for a Discord bot that replies 'pong' to '!ping'", "code_generation", None),
    ("what's this defer doing here", "code_explanation", _GO),
    ("Can someone explain why RLock and not Lock is used?", "code_explanation", _GO),
    ("Wat is het nut van die defer in deze functie?", "code_explanation", _GO),
    ("I'm new to Haskell, what does `fmap (+1) (Just 3)` evaluate to and why?", "code_explanation", None),
    (
        "How does Python's GIL affect this threading code I pasted?\n```python\nt = "
        "Thread(target=work)\nt.start()\n```",
        "code_explanation",
        None,
    ),
    ("how do I fix this", "debugging", _RUST_DIAG),
    (
        "After upgrading to Node 22 my jest suite throws SyntaxError: Cannot use import statement "
        "outside a module",
        "debugging",
        None,
    ),
    ("Het inloggen lukt niet meer sinds de update, ik krijg steeds een 403", "debugging", None),
    ("My SQL query is extremely slow on 10M rows even with an index, why?", "debugging", None),
    (
        "Fatal error: Allowed memory size of 134217728 bytes exhausted in /var/www/index.php on line 33",
        "debugging",
        None,
    ),
    ("Tidy up this function, it's a mess", "refactoring", _GO),
    ("Can you restructure this so the locking is in one place?", "refactoring", _GO),
    ("Deze klasse is te groot, kun je hem opdelen?", "refactoring", None),
    ("Swap the manual string concatenation for f-strings throughout", "refactoring", None),
    ("Rewrite this with generics instead of interface{}", "refactoring", _GO),
    ("Write table tests for Get covering missing keys", "test_generation", _GO),
    ("I want a test suite for the checkout flow", "test_generation", None),
    ("Schrijf een paar tests die de randgevallen afdekken", "test_generation", _GO),
    ("Add a benchmark test and a fuzz test for this parser", "test_generation", None),
    ("please generate unit tests", "test_generation", _GO),
    ("Write godoc comments for this method", "documentation", _GO),
    ("Add a section to the README on how to configure the proxy", "documentation", None),
    ("Beschrijf deze functie in een docstring", "documentation", _GO),
    ("Produce an OpenAPI description for our /users endpoints", "documentation", None),
    ("Explain this module in a comment block at the top of the file", "documentation", _GO),
    ("Does this look OK to you before I merge?", "code_review", _GO),
    ("Kun je kritisch naar deze code kijken?", "code_review", _GO),
    ("Any concurrency problems with this Get method?", "code_review", _GO),
    ("Rate this implementation and suggest improvements", "code_review", None),
    ("What are the weak spots in my pull request?", "code_review", None),
    (
        "We're moving from a single Postgres to something that handles 100x the writes — what should "
        "the design look like?",
        "architecture",
        None,
    ),
    (
        "How would you split responsibilities between the frontend, BFF and backend services?",
        "architecture",
        None,
    ),
    ("Welke architectuur past bij een app met veel realtime updates?", "architecture", None),
    ("Draw up a high level plan for multi-region failover", "architecture", None),
    (
        "Which message broker fits an IoT platform with 1M devices, and how do the pieces connect?",
        "architecture",
        None,
    ),
    ("What is 2 to the power of 20?", "reasoning", None),
    (
        "I have twice as many sisters as brothers; my sister has as many brothers as sisters. How many kids?",
        "reasoning",
        None,
    ),
    ("Hoeveel is 3/4 plus 5/6?", "reasoning", None),
    (
        "A rope ladder hangs over a ship with rungs 30 cm apart; the tide rises 1 m. How many rungs are "
        "under water?",
        "reasoning",
        None,
    ),
    ("Roughly how many golf balls fit in a school bus?", "reasoning", None),
    ("Polish this apology note to a customer", "writing", None),
    ("Compose a short ode to coffee", "writing", None),
    ("Zet deze zin om naar de Engelse taal: ik kom morgen later", "writing", None),
    ("Write the opening scene of a detective novel set in Utrecht", "writing", None),
    ("Please reformulate this paragraph for a ten-year-old reader", "writing", None),
    ("what's the latest stable version of Rust", "general", None),
    ("Is WSL2 faster than a VM for Docker?", "general", None),
    ("Waar vind ik de instellingen van mijn terminal in VS Code?", "general", None),
    ("good night!", "general", None),
    ("What does SOLID stand for?", "general", None),
]
