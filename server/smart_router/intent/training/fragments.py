"""The pieces the training-corpus generator (`generate.py`) fills its templates with: code snippets
in several languages, stack traces and compiler errors, things to build, editor diagnostics.

Every pool is a plain tuple; the generator draws from them with a seeded `random.Random`, so the
corpus is reproducible.
"""

# ruff: noqa: E501 - code snippets read best unbroken

from __future__ import annotations

__all__ = [
    "CODE",
    "DIAGNOSTICS",
    "ERRORS",
    "FILES",
    "LANGS",
    "SYMBOLS",
    "THINGS_EN",
    "THINGS_NL",
    "TRACES",
]

CODE: dict[str, tuple[str, ...]] = {
    "python": (
        "def load(path):\n    with open(path) as f:\n        return json.load(f)['items']\n",
        "class Cache:\n    def __init__(self):\n        self.d = {}\n    def get(self, k):\n        return self.d.get(k)\n",
        "for i in range(len(xs)):\n    if xs[i] > m:\n        m = xs[i]\n",
        "def price(order):\n    t = 0\n    for l in order.lines:\n        t += l.qty * l.unit\n"
        "    if order.vip: t *= 0.9\n    return round(t, 2)\n",
        "result = [u.name for u in users if u.active and not u.deleted]\n",
        "async def fetch_all(urls):\n    async with aiohttp.ClientSession() as s:\n"
        "        return await asyncio.gather(*(s.get(u) for u in urls))\n",
        "@app.route('/users/<int:uid>')\ndef user(uid):\n    return jsonify(db.get(uid))\n",
        "df = df.groupby('region').agg({'sales': 'sum'}).reset_index()\n",
    ),
    "javascript": (
        "function debounce(fn, ms) {\n  let t;\n  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };\n}\n",
        "const total = cart.items.reduce((s, i) => s + i.price * i.qty, 0);\n",
        "app.get('/api/orders', async (req, res) => {\n  const rows = await db.query('SELECT * FROM orders');\n"
        "  res.json(rows);\n});\n",
        "document.querySelector('#save').addEventListener('click', () => save(form));\n",
        "useEffect(() => {\n  fetch(url).then(r => r.json()).then(setData);\n}, []);\n",
    ),
    "typescript": (
        "export async function getUser(id: string): Promise<User> {\n  const res = await fetch(`/api/users/${id}`);\n"
        "  return res.json();\n}\n",
        "type Shape = { kind: 'circle'; r: number } | { kind: 'rect'; w: number; h: number };\n",
        "export class OrderService {\n  constructor(private repo: OrderRepo) {}\n"
        "  async place(o: Order) { await this.repo.save(o); }\n}\n",
        "const byId = new Map<string, Item>(items.map(i => [i.id, i]));\n",
    ),
    "java": (
        "public List<String> names(List<User> users) {\n    List<String> out = new ArrayList<>();\n"
        "    for (User u : users) { if (u.isActive()) out.add(u.getName()); }\n    return out;\n}\n",
        '@RestController\npublic class PingController {\n    @GetMapping("/ping")\n'
        '    public String ping() { return "pong"; }\n}\n',
        "synchronized void add(Item i) {\n    items.add(i);\n    total += i.price();\n}\n",
    ),
    "go": (
        "func (s *Store) Get(k string) ([]byte, bool) {\n\ts.mu.RLock()\n\tdefer s.mu.RUnlock()\n"
        "\tv, ok := s.m[k]\n\treturn v, ok\n}\n",
        "for _, f := range files {\n\tgo func() {\n\t\tprocess(f)\n\t}()\n}\n",
        'if err != nil {\n\treturn fmt.Errorf("open config: %w", err)\n}\n',
    ),
    "rust": (
        "fn parse(s: &str) -> Result<u32, ParseIntError> {\n    s.trim().parse::<u32>()\n}\n",
        "let names: Vec<String> = users.iter().filter(|u| u.active).map(|u| u.name.clone()).collect();\n",
        "impl Drop for Conn {\n    fn drop(&mut self) { self.close().ok(); }\n}\n",
    ),
    "csharp": (
        "public async Task<Order> GetAsync(int id) {\n    return await _db.Orders.FirstOrDefaultAsync(o => o.Id == id);\n}\n",
        "var cheapest = cart.Items.OrderBy(i => i.Price).First();\n",
    ),
    "sql": (
        "SELECT c.name, SUM(o.total) FROM customers c JOIN orders o ON o.cid = c.id GROUP BY c.name;\n",
        "UPDATE accounts SET balance = balance - 10 WHERE id = 7;\n",
    ),
    "bash": (
        'for f in *.log; do gzip "$f"; done\n',
        "find . -name '*.tmp' -mtime +7 -exec rm {} \\;\n",
    ),
    "php": ('$users = $pdo->query("SELECT * FROM users WHERE id = $id")->fetchAll();\n',),
    "cpp": ("std::vector<int> v(n);\nfor (size_t i = 0; i <= v.size(); ++i) sum += v[i];\n",),
}

LANGS: dict[str, str] = {
    "python": "Python",
    "javascript": "JavaScript",
    "typescript": "TypeScript",
    "java": "Java",
    "go": "Go",
    "rust": "Rust",
    "csharp": "C#",
    "sql": "SQL",
    "bash": "bash",
    "php": "PHP",
    "cpp": "C++",
}

TRACES: dict[str, tuple[str, ...]] = {
    "python": (
        'Traceback (most recent call last):\n  File "app.py", line 31, in <module>\n    main()\n'
        '  File "app.py", line 12, in main\n    cfg = load("cfg.json")\nFileNotFoundError: [Errno 2] '
        "No such file or directory: 'cfg.json'",
        'Traceback (most recent call last):\n  File "/srv/api/views.py", line 88, in detail\n'
        "    return obj.owner.email\nAttributeError: 'NoneType' object has no attribute 'email'",
        'Traceback (most recent call last):\n  File "worker.py", line 5, in <module>\n    import redis\n'
        "ModuleNotFoundError: No module named 'redis'",
        "E       AssertionError: assert 3 == 4\nE        +  where 3 = len([1, 2, 3])\n"
        "FAILED tests/test_cart.py::test_totals - AssertionError",
        "KeyError: 'user_id'",
    ),
    "java": (
        'Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()"\n'
        "\tat com.acme.Parser.parse(Parser.java:42)\n\tat com.acme.Main.main(Main.java:10)",
        "java.lang.IndexOutOfBoundsException: Index 5 out of bounds for length 5\n"
        "\tat java.base/java.util.ArrayList.get(ArrayList.java:427)\n\tat shop.Cart.item(Cart.java:19)",
        "org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'dataSource'",
    ),
    "javascript": (
        "TypeError: Cannot read properties of undefined (reading 'map')\n    at List (List.jsx:14:22)\n"
        "    at renderWithHooks (react-dom.development.js:14985:18)",
        "UnhandledPromiseRejectionWarning: Error: connect ECONNREFUSED 127.0.0.1:5432\n"
        "    at TCPConnectWrap.afterConnect [as oncomplete] (net.js:1141:16)",
        "ReferenceError: process is not defined\n    at config.js:3:15",
        "npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree",
    ),
    "typescript": (
        "src/api.ts:12:5 - error TS2322: Type 'string | undefined' is not assignable to type 'string'.",
        "error TS2339: Property 'email' does not exist on type 'User'.",
    ),
    "go": (
        "panic: runtime error: invalid memory address or nil pointer dereference\n"
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]\n\ngoroutine 1 [running]:\n"
        "main.(*Server).Start(0x0)\n\t/app/server.go:27 +0x1c",
        "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\nmain.main()\n"
        "\t/app/main.go:14 +0x5e",
        "./main.go:9:2: undefined: strings.Reverse",
    ),
    "rust": (
        "error[E0382]: borrow of moved value: `v`\n --> src/main.rs:5:20\n  |\n3 |     let w = v;\n"
        "  |             - value moved here",
        "thread 'main' panicked at 'called `Option::unwrap()` on a `None` value', src/lib.rs:17:31",
        "error[E0308]: mismatched types\n --> src/parse.rs:4:5\n  |\n4 |     s.len()\n"
        "  |     ^^^^^^^ expected `u32`, found `usize`",
    ),
    "csharp": (
        "System.NullReferenceException: Object reference not set to an instance of an object.\n"
        "   at Shop.OrderService.Total(Order o) in C:\\src\\OrderService.cs:line 23",
        "error CS0103: The name 'config' does not exist in the current context",
        "System.InvalidOperationException: Sequence contains no matching element\n"
        "   at System.Linq.Enumerable.First[TSource](IEnumerable`1 source, Func`2 predicate)",
    ),
}

ERRORS: tuple[str, ...] = (
    "KeyError: 'id'",
    "TypeError: 'NoneType' object is not subscriptable",
    "IndexError: list index out of range",
    "ValueError: invalid literal for int() with base 10: ''",
    "TypeError: undefined is not a function",
    "Uncaught ReferenceError: $ is not defined",
    "NullPointerException",
    "ConcurrentModificationException",
    "segmentation fault (core dumped)",
    "error: linker command failed with exit code 1",
    "CORS policy: No 'Access-Control-Allow-Origin' header",
    "ECONNREFUSED",
    "401 Unauthorized",
    "504 Gateway Timeout",
    "OOMKilled",
    "deadlock detected",
    "Maximum call stack size exceeded",
    "ImportError: cannot import name 'x' from partially initialized module",
    "SSL: CERTIFICATE_VERIFY_FAILED",
    "permission denied (publickey)",
    "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff",
    "django.db.utils.IntegrityError: UNIQUE constraint failed",
)

DIAGNOSTICS: tuple[str, ...] = (
    '"np" is not defined Pylance(reportUndefinedVariable)',
    "Argument of type 'number' is not assignable to parameter of type 'string'. ts(2345)",
    "Object is possibly 'undefined'. ts(2532)",
    "cannot borrow `x` as mutable more than once at a time",
    "Unresolved reference: foo",
    "missing return statement",
    "Cannot find symbol: method getName()",
    "Unused variable 'tmp'",
    "error CS0029: Cannot implicitly convert type 'string' to 'int'",
    "E1101: Instance of 'Foo' has no 'bar' member",
)

SYMBOLS: tuple[str, ...] = (
    "parse_date",
    "getUser",
    "OrderService",
    "calc_total",
    "useCart",
    "handle_upload",
    "retryRequest",
    "Invoice",
    "merge_ranges",
    "validateEmail",
    "save",
    "PaymentGateway",
    "slugify",
    "load_config",
    "UserRepository",
    "normalize",
    "render",
    "AuthMiddleware",
    "to_csv",
    "Scheduler",
)

FILES: tuple[str, ...] = (
    "utils.py",
    "api.ts",
    "main.go",
    "Cart.java",
    "lib.rs",
    "index.js",
    "OrderService.cs",
    "models.py",
    "routes.js",
    "schema.sql",
    "deploy.sh",
    "App.tsx",
    "settings.py",
    "handler.go",
)

THINGS_EN: tuple[str, ...] = (
    "a function that flattens a nested list",
    "a REST endpoint that returns paginated orders",
    "a CLI that renames photos by their EXIF date",
    "a React component for a star rating",
    "a rate limiter with a token bucket",
    "a script that backs up a Postgres database to S3",
    "a class for an LRU cache",
    "a regex that matches Dutch postcodes",
    "a function to validate an email address",
    "a Dockerfile for a Node app",
    "a GitHub Actions workflow that runs the tests",
    "a parser for a simple INI file",
    "a web scraper for product prices",
    "a login form with validation",
    "a binary search tree with insert and delete",
    "a websocket chat server",
    "a function that converts Celsius to Fahrenheit",
    "a SQL query for the top 5 customers by revenue",
    "a cron job that cleans old files",
    "a Discord bot that replies to !ping",
    "a retry helper with exponential backoff",
    "a debounce hook",
    "a CSV to JSON converter",
    "a pagination component",
    "a middleware that checks JWT tokens",
    "a migration that adds an index on email",
    "a function that merges overlapping intervals",
    "a snake game",
    "a todo app",
    "a producer-consumer queue",
)

THINGS_NL: tuple[str, ...] = (
    "een functie die een geneste lijst plat maakt",
    "een REST endpoint dat bestellingen per pagina teruggeeft",
    "een script dat foto's hernoemt op datum",
    "een React component voor een sterrenbeoordeling",
    "een rate limiter",
    "een script dat de database naar S3 back-upt",
    "een klasse voor een LRU-cache",
    "een regex die Nederlandse postcodes herkent",
    "een functie die een e-mailadres valideert",
    "een Dockerfile voor een Node-app",
    "een GitHub Actions workflow die de tests draait",
    "een parser voor een eenvoudig configbestand",
    "een loginformulier met validatie",
    "een binaire zoekboom",
    "een chatserver met websockets",
    "een functie die Celsius naar Fahrenheit omrekent",
    "een SQL-query voor de top 5 klanten",
    "een cronjob die oude bestanden opruimt",
    "een Discord-bot",
    "een retry-helper met exponential backoff",
    "een CSV naar JSON converter",
    "een middleware die JWT-tokens controleert",
    "een migratie die een index toevoegt",
    "een spelletje snake",
    "een todo-app",
)
