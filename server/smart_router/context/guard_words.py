"""The word lists of the near-miss guard (`guard.py`), English and Dutch, lower case.

Words are matched as written and in a crude singular form (`keys` -> `key`), so each list holds
the forms that occur in editor questions. Adding a word here is how the guard learns a new
contrast; nothing in the lists is specific to any test sentence.
"""

from __future__ import annotations

__all__ = [
    "ALIASES",
    "CASED_NAMES",
    "CONTRASTS",
    "CONVERSION_CUES",
    "FILLER",
    "NEGATIONS",
    "NUMBER_WORDS",
    "ORDINALS",
    "PHRASES",
    "STOPWORDS",
    "SYNONYMS",
    "TECH_NAMES",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _group(*classes: str) -> tuple[frozenset[str], ...]:
    return tuple(_words(c) for c in classes)


def _numbered(text: str) -> dict[str, str]:
    """Words for 0, 1, 2, ... in order ("_" skips a number) as {word: digits}."""
    return {w: str(i) for i, w in enumerate(text.split()) if w != "_"}


TECH_NAMES = _words(
    """
    python javascript typescript java kotlin scala groovy csharp fsharp cpp c++ c# rust golang ruby
    php perl lua haskell elixir erlang clojure ocaml objective-c dart julia matlab fortran cobol
    bash zsh fish powershell shell sh cmd batch sql plsql tsql graphql html css scss sass less
    markdown latex json yaml yml toml xml csv tsv ini protobuf avro parquet regex wasm webassembly
    nodejs deno bun vue angular svelte nextjs nuxt jquery redux tailwind bootstrap webpack vite
    rollup esbuild babel eslint prettier jest mocha vitest cypress playwright selenium puppeteer
    django flask fastapi pyramid tornado starlette pydantic sqlalchemy alembic celery numpy pandas
    scipy matplotlib seaborn sklearn scikit-learn tensorflow pytorch torch keras jax opencv pillow
    requests httpx aiohttp asyncio pytest unittest nose tox poetry pip pipenv conda virtualenv uv
    rails laravel symfony hibernate maven gradle junit testng mockito dotnet aspnet blazor
    entity linq xamarin unity unreal godot flutter android ios kotlin jetpack compose swiftui
    uikit xcode git github gitlab bitbucket svn mercurial docker podman kubernetes helm terraform
    ansible puppet chef vagrant nginx apache tomcat caddy haproxy aws azure gcp heroku vercel netlify
    lambda s3 ec2 firebase supabase postgresql mysql mariadb sqlite mongodb redis cassandra dynamodb
    elasticsearch kafka rabbitmq oracle mssql neo4j prisma sequelize mongoose typeorm graphql grpc
    rest soap websocket websockets http https tcp udp ssh ssl tls dns cors jwt oauth oauth2 saml
    vscode vim neovim emacs intellij pycharm eclipse linux windows macos ubuntu debian wsl cmake
    llvm gcc clang msvc cuda opengl vulkan utf-8 ascii unicode base64 sha md5 bcrypt json5 npm yarn
    pnpm cargo rustup crates nuget composer gem bundler homebrew brew apt yum systemd cron jenkins
    circleci travis actions jira slack excel lodash axios nestjs koa electron tauri
    """
)
"""Languages, frameworks, libraries, tools and formats: naming another one changes the answer."""

ALIASES = {
    "js": "javascript",
    "ecmascript": "javascript",
    "ts": "typescript",
    "py": "python",
    "python3": "python",
    "k8s": "kubernetes",
    "kubectl": "kubernetes",
    "postgres": "postgresql",
    "psql": "postgresql",
    "mongo": "mongodb",
    "node js": "nodejs",
    "reactjs": "react",
    "react js": "react",
    "vuejs": "vue",
    "nextjs": "nextjs",
    "expressjs": "express",
    "vs code": "vscode",
    "visual studio code": "vscode",
    "scikit": "sklearn",
    "scikit-learn": "sklearn",
    "tf": "tensorflow",
    "golang": "golang",
    "c sharp": "csharp",
    "c#": "csharp",
    "c++": "cpp",
    "f#": "fsharp",
    ".net": "dotnet",
    "yml": "yaml",
    "regexp": "regex",
    "regular expression": "regex",
    "venv": "virtualenv",
    "virtual environment": "virtualenv",
    "dockerfile": "docker",
    "pip3": "pip",
    "mac": "macos",
    "osx": "macos",
}
"""Other spellings of `TECH_NAMES` (and two-word names: "vs code", "regular expression")."""

CASED_NAMES = {"go": "golang", "react": "react", "swift": "swift", "express": "express", "spring": "spring"}
"""Names that are also common words: they count only when capitalised ("Go", not "go through")."""

NEGATIONS = _words("not no never none nothing nobody without cannot neither nor niet geen nooit zonder niets")

NUMBER_WORDS = {
    **_numbered("zero _ two three four five six seven eight nine ten"),
    "eleven": "11",
    "twelve": "12",
    "twenty": "20",
    "hundred": "100",
    "thousand": "1000",
    **_numbered("_ _ twee drie vier vijf zes zeven acht negen tien"),
    "elf": "11",
    "twaalf": "12",
    "honderd": "100",
    "duizend": "1000",
    "double": "2",
    "pair": "2",
    "triple": "3",
    "half": "0.5",
    "nul": "0",
}
"""Number and ordinal words, as the digits they stand for ("one" and "een" are left out: they are
as often a pronoun or an article as a number)."""

ORDINALS = {
    "first": "1",
    "second": "2",
    "third": "3",
    "fourth": "4",
    "fifth": "5",
    "sixth": "6",
    "tenth": "10",
    "nth": "n",
    "eerste": "1",
    "tweede": "2",
    "derde": "3",
    "vierde": "4",
    "vijfde": "5",
}
"""Ordinal words: "the second highest" and "the third highest" are different questions."""

FILLER = _words(
    """
    hey hi hello thanks thank lot please pls help quick quickly question questions actually exactly
    explain explanation explained mean means meaning meant difference differences differ differs
    different vs versus compare comparison show tell telling say saying says happen happens
    happening cause causes causing caused getting error errors message what's whats it's i'm
    wrong example examples work works working simple simply basically somebody anyone
    hoi hallo bedankt dank alsjeblieft aub uitleg uitleggen leg betekent betekenis verschil
    verschillen tussen krijg foutmelding fout melding between one ones has have had having they them
    their both too btw specific certain given whole same up out back there's whats it does doing
    maak maken zet zetten verschilt nieuwe particular exist exists present
    """
)
"""Words of asking, not of the question: they need no counterpart in a paraphrase."""

CONTRASTS: tuple[tuple[frozenset[str], ...], ...] = (
    _group(
        "ascending asc ascend increasing oplopend oplopende",
        "descending desc descend decreasing aflopend aflopende",
    ),
    _group(
        "min minimum smallest lowest least minimal kleinste laagste minimale minimum",
        "max maximum largest biggest highest greatest maximal grootste hoogste maximale",
    ),
    _group(
        "add append insert push attach create new toevoegen voeg aanmaken",
        "remove delete drop pop detach erase rid verwijder verwijderen verwijdert wis wissen",
    ),
    _group("first eerste earliest oldest", "last laatste latest final newest recent"),
    _group("before prior preceding", "after following afterwards"),
    _group(
        "enable enabled activate turn-on switch-on aanzetten inschakelen",
        "disable disabled deactivate turn-off switch-off uitzetten uitschakelen",
    ),
    _group(
        "sync synchronous synchronously synchroon synchrone blocking",
        "async asynchronous asynchronously asynchroon asynchrone non-blocking await",
    ),
    _group(
        "encode encoding encrypt encryption serialize serialise serialization compress zip marshal "
        "escape hash",
        "decode decoding decrypt decryption deserialize deserialise deserialization decompress unzip "
        "unmarshal unescape",
    ),
    _group(
        "read reading load loading parse import inlezen lezen lees laden importeren",
        "write writing save saving dump export generate generating "
        "schrijf schrijven wegschrijven opslaan exporteren",
    ),
    _group("uppercase upper capitalize capitalise hoofdletter hoofdletters", "lowercase lower kleine"),
    _group("start starting launch begin boot starten", "stop stopping kill terminate halt shutdown stoppen"),
    _group("open opening openen", "close closing shut sluiten"),
    _group("show display reveal toon tonen", "hide conceal verberg verbergen"),
    _group("lock locking", "unlock unlocking"),
    _group("mount", "unmount"),
    _group("install installing installeren", "uninstall uninstalling remove-package"),
    _group("include including includes", "exclude excluding excludes"),
    _group("allow allowed permit whitelist", "deny denied block forbid blacklist"),
    _group("accept accepted", "reject rejected"),
    _group("push pushing", "pull pulling", "fetch fetching"),
    _group("left links", "right rechts"),
    _group("top boven", "bottom onder"),
    _group("horizontal horizontally horizontaal", "vertical vertically verticaal"),
    _group("inner", "outer", "cross", "full"),
    _group("prefix startswith", "suffix endswith"),
    _group("head", "tail"),
    _group("shallow", "deep"),
    _group("mutable", "immutable"),
    _group("public", "private", "protected", "internal"),
    _group("static", "dynamic"),
    _group("local lokaal lokale", "remote origin upstream", "global globaal globale"),
    _group("client", "server"),
    _group("frontend front-end", "backend back-end"),
    _group("input invoer", "output uitvoer"),
    _group("stdout", "stderr", "stdin"),
    _group("true waar", "false onwaar"),
    _group("up upward upwards omhoog", "down downward downwards omlaag"),
    _group(
        "increase increment raise grow verhogen vergroten",
        "decrease decrement reduce shrink verlagen verkleinen",
    ),
    _group("union", "intersection"),
    _group("row rows rij rijen", "column columns col kolom kolommen"),
    _group("width breedte", "height hoogte"),
    _group("keep preserve retain behouden bewaren", "discard lose losing throw weggooien"),
    _group("running active draaiend draaiende actief", "stopped exited dead gestopt gestopte"),
    _group("even", "odd oneven", "prime priem priemgetal"),
    _group("positive positief", "negative negatief"),
    _group("recursive recursively recursion recursief", "iterative iteratively iteratief"),
    _group("development dev", "production prod", "staging"),
    _group("unit", "integration", "e2e end-to-end"),
    _group(
        "character char characters chars teken tekens",
        "word words woord woorden",
        "line lines regel regels",
        "sentence sentences zin zinnen",
        "paragraph paragraphs",
    ),
    _group(
        "letter letters",
        "digit digits cijfer cijfers",
        "whitespace space spaces spatie spaties",
        "punctuation",
        "newline newlines",
        "tab tabs",
    ),
    _group(
        "list lists lijst lijsten",
        "array arrays",
        "string strings str tekst",
        "dict dicts dictionary dictionaries hashmap woordenboek",
        "set sets",
        "tuple tuples",
        "int ints integer integers",
        "float floats double decimal",
        "bool boolean booleans",
        "byte bytes bytearray",
        "object objects obj objecten",
        "dataframe dataframes df",
        "tensor tensors",
        "date dates datum",
        "datetime datetimes timestamp timestamps",
    ),
    _group(
        "function functions func functie functies",
        "method methods methode methodes",
        "class classes klasse klassen",
        "module modules",
        "file files bestand bestanden",
        "folder folders directory directories dir map",
        "variable variables var variabele",
        "component components",
        "interface interfaces",
        "struct structs",
        "enum enums",
        "package packages pakket",
        "property properties attribute attributes field fields",
        "argument arguments arg args parameter parameters",
    ),
    _group("key keys sleutel sleutels", "value values waarde waarden"),
    _group("branch branches", "commit commits", "tag tags", "stash"),
    _group("image images", "container containers", "volume volumes", "network networks"),
    _group("pod pods", "deployment deployments", "namespace namespaces", "service services", "node nodes"),
    _group(
        "table tables tabel", "index indexes indices", "view views", "schema schemas", "database databases db"
    ),
    _group("header headers", "body", "cookie cookies", "query querystring", "param params"),
    _group("request requests verzoek", "response responses antwoord"),
    _group("parent ouder", "child children kind"),
    _group("merge merging", "rebase rebasing", "cherry-pick"),
    _group("soft", "hard", "mixed"),
    _group("staged", "unstaged"),
    _group("tracked", "untracked"),
    _group(
        "email e-mail mail",
        "phone telephone telefoonnummer",
        "url link",
        "ip",
        "password wachtwoord",
        "postcode zip",
        "iban",
    ),
    _group("getter get", "setter"),
    _group("lazy", "eager", "greedy"),
    _group("inclusive", "exclusive"),
    _group("null", "undefined"),
    _group("equal equals gelijk", "unequal verschillend"),
    _group("success succeed succeeds", "failure fail fails failing"),
    _group("valid", "invalid"),
    _group("click", "hover", "keydown keypress keyup", "submit", "scroll"),
    _group("comment", "uncomment"),
    _group("login log-in sign-in signin inloggen", "logout log-out sign-out signout uitloggen"),
    _group("for-loop foreach for-each", "while-loop", "do-while"),
    _group("upgrade update", "downgrade"),
    _group("yesterday gisteren", "today vandaag", "tomorrow morgen"),
    _group("memory geheugen ram", "cpu processor", "disk schijf"),
    _group("undo", "redo"),
    _group("zoom-in", "zoom-out"),
    _group("import imports", "export exports"),
    _group("horizontal-scroll", "vertical-scroll"),
)
"""Contrast groups: each group lists classes of words that are alternatives to each other. Two
questions that name different classes of one group ask about different things."""

CONVERSION_CUES = _words(
    "convert conversion converting cast casting turn transform translate migrate port change map "
    "omzetten omzet converteer converteren zet"
)
"""Words that make "X to Y" a direction (a conversion) rather than a purpose ("to format")."""

SYNONYMS: tuple[frozenset[str], ...] = _group(
    "remove delete drop erase rid verwijder verwijderen wis wissen",
    "get obtain fetch retrieve find access grab select extract capture "
    "krijgen krijg vind vinden ophalen haal",
    "make send perform issue do",
    "sleep wait pause delay slaap wacht",
    "show list display print view see output toon bekijk",
    "only single just alleen enkel",
    "terminal shell console commandline cli prompt",
    "immediately instantly right-away direct meteen",
    "increase bigger larger enlarge grow vergroot groter",
    "decrease smaller shrink reduce verklein kleiner",
    "big large huge groot",
    "small tiny little klein",
    "slow sluggish traag langzaam",
    "current present huidige",
    "program script app application programma",
    "simple easy basic eenvoudig makkelijk",
    "repo repository project",
    "library lib package dependency dep bibliotheek",
    "throw raise gooi",
    "crash fail failing error",
    "measure time timing duration elapsed benchmark meet",
    "start launch begin boot",
    "quit exit leave close stop",
    "add append insert push attach toevoegen",
    "element item entry member",
    "make create generate build produce write set setup maak maken aanmaken genereer",
    "check test verify validate determine tell see detect controleer controleren nagaan",
    "combine merge join concatenate concat",
    "largest biggest highest maximum max greatest grootste hoogste",
    "smallest lowest minimum min least kleinste laagste",
    "last final latest recent laatste",
    "run execute fire trigger call invoke",
    "iterate loop traverse enumerate walk go doorlopen",
    "folder directory dir map",
    "fix solve resolve repair debug",
    "error exception bug issue problem fout",
    "convert cast turn transform change omzetten converteren",
    "read load open parse inlezen lezen lees ingest",
    "write save dump store schrijven schrijf opslaan",
    "dict dictionary hashmap woordenboek",
    "explain describe clarify difference differ compare comparison vs versus verschil uitleg leg uitleggen",
    "quick fast quickly efficient efficiently snel",
    "list lijst",
    "function func functie",
    "file bestand document",
    "show display print toon",
    "sort order sorteer sorteren",
    "reverse invert flip omdraaien draai keer",
    "undo revert reset rollback unstage ongedaan terugdraaien",
    "number getal",
    "string str text tekst",
    "empty leeg",
    "duplicate dup dupe dubbel",
    "keep preserve retain maintain behouden",
    "setup configure config install set",
    "environment env venv virtualenv",
    "shortcut keybinding hotkey sneltoets",
    "restart reboot reload",
    "wait block await",
    "finish complete done end",
    "command cmd commando",
    "variable var",
    "argument arg parameter param",
    "property attribute prop field",
    "length len size count",
    "contain exist include ha have bevat",
    "edit change modification modify wijziging wijzigen",
    "valid correct proper",
    "stopped gestopt gestopte",
    "container containers",
)
"""Words that may replace each other in a paraphrase (used only by the small-edit check)."""

PHRASES = {
    "command line": "commandline",
    "symbolic link": "symlink",
    "soft link": "symlink",
    "hard link": "hardlink",
    "right after": "immediately",
    "right away": "immediately",
    "get rid of": "remove",
    "take back": "undo",
    "walk me through": "explain",
    "walk through": "explain",
    "how long": "time",
    "set up": "setup",
    "a lot of": "many",
}
"""Phrases read as one word before the comparison."""

STOPWORDS = _words(
    """
    a an the how do does did doing done i i'm i've i'd i'll can could would should shall will may might
    must you your you're me my mine we our us what what's whats which who whom whose why when where
    is are was were be been being am to of in on at for with by from into onto about as than then so
    and or but if whether it it's its this that these those there here way ways best good please
    just also some any each every all very really using use used via like want need let lets let's
    give tell someone something thing things anything everything correct proper right kind sort-of
    hoe ik kan kun kunnen je jij u mijn mij me we wij ons onze de het een in van met op voor naar
    is zijn was waren wat welk welke wie waarom wanneer waar dit deze die dat er te om of en maar
    als dan dus ook alle elke ieder graag nu heb hebben wordt worden word zou zouden moet moeten
    mag via met bij tot uit aan over
    over through across within while whilst door langs terwijl command commands commando code snippet
    syntax example examples voorbeeld approach idiomatic pythonic simplest easiest quickest cleanest
    recommended standard option options trick manier query until till
    """
)
"""Words that carry no contrast (left out of the small-edit comparison)."""
