"""Chunking documents along their symbols (several languages), blocks for the rest, and the
file-path helpers (same file across URI and path spellings, exclusion globs)."""

from __future__ import annotations

import itertools

import pytest

from smart_router.context.chunking import BLOCK_LINES, MAX_SYMBOL_LINES, OVERLAP_LINES, chunk_document
from smart_router.context.documents import display_path, file_key, is_excluded, to_uri
from smart_router.context.store import prepare

PYTHON = '''"""Settings loader."""
import json
import os


@functools.cache
def load_config(path):
    """Read the settings file."""
    with open(path) as f:
        data = json.load(f)
    return data


class Parser:
    """Parses requests."""

    def __init__(self, text):
        self.text = text
        self.pos = 0
        self.errors = []

    async def parse(self):
        tokens = self.text.split()
        for token in tokens:
            self.pos += 1
        return tokens
'''

TYPESCRIPT = """import { Catalog } from './catalog';

/** Picks a model. */
export function pickModel(catalog: Catalog, prompt: string): string {
  const models = catalog.models.filter((m) => m.enabled);
  const best = models.sort((a, b) => a.price - b.price)[0];
  return best.id;
}

export class Router {
  private readonly cache = new Map<string, string>();

  constructor(private readonly catalog: Catalog) {
    this.cache.clear();
  }
}

export const formatUsd = (micro: number): string => {
  const usd = micro / 1_000_000;
  return `$${usd.toFixed(2)}`;
};
"""

GO = """package server

import "fmt"

// Server answers requests.
type Server struct {
\taddr string
\tport int
}

func (s *Server) Start() error {
\tfmt.Println("listening on", s.addr)
\tfmt.Println("port", s.port)
\treturn nil
}

func NewServer(addr string) *Server {
\tserver := &Server{addr: addr}
\tserver.port = 8080
\treturn server
}
"""

RUST = """use std::collections::HashMap;

/// A cache of answers.
pub struct Cache {
    entries: HashMap<String, String>,
    hits: u64,
}

impl Cache {
    pub fn new() -> Self {
        Cache { entries: HashMap::new(), hits: 0 }
    }
}

pub async fn fetch_answer(key: &str) -> Option<String> {
    let client = Client::new();
    let body = client.get(key).await.ok()?;
    Some(body)
}
"""

JAVA = """package router;

import java.util.List;

public class Ledger {
    private final List<Row> rows;

    public Ledger(List<Row> rows) {
        this.rows = rows;
    }

    public long totalCost(String day) {
        long total = 0;
        for (Row r : rows) {
            if (r.day().equals(day)) total += r.cost();
        }
        return total;
    }
}
"""

CSHARP = """using System;

namespace Router
{
    public sealed class BudgetKeeper
    {
        private decimal spent;

        public BudgetKeeper(decimal limit)
        {
            Limit = limit;
            spent = 0m;
        }

        public async Task<bool> ReserveAsync(decimal amount)
        {
            await Task.Yield();
            if (spent + amount > Limit) return false;
            spent += amount;
            return true;
        }
    }
}
"""


def _labels(text: str, language: str) -> list[str]:
    return [c.label for c in chunk_document(text, language)]


def _covers_every_line(text: str, language: str | None) -> None:
    lines = text.rstrip("\n").split("\n")
    chunks = chunk_document(text, language)
    covered = {n for c in chunks for n in range(c.start_line, c.end_line + 1)}
    blank = {n for n, line in enumerate(lines) if not line.strip()}
    assert set(range(len(lines))) - blank <= covered
    for c in chunks:
        assert c.text == "\n".join(lines[c.start_line : c.end_line + 1])


@pytest.mark.parametrize(
    ("text", "language", "symbols"),
    [
        (PYTHON, "python", ["load_config", "Parser"]),
        (TYPESCRIPT, "typescript", ["pickModel", "Router", "formatUsd"]),
        (GO, "go", ["Server", "Server.Start", "NewServer"]),
        (RUST, "rust", ["Cache", "fetch_answer"]),
        (JAVA, "java", ["Ledger"]),
        (CSHARP, "csharp", ["BudgetKeeper"]),
    ],
)
def test_code_is_cut_at_its_definitions(text: str, language: str, symbols: list[str]) -> None:
    labels = " | ".join(_labels(text, language))
    for symbol in symbols:
        assert symbol in labels, labels
    _covers_every_line(text, language)


def test_comments_and_decorators_go_with_the_definition_below() -> None:
    chunks = chunk_document(PYTHON, "python")
    loader = next(c for c in chunks if "load_config" in c.label)
    assert "@functools.cache" in loader.text
    go = chunk_document(GO, "go")
    assert any(c.text.startswith("// Server answers requests.") for c in go) or any(
        "// Server answers requests.\ntype Server" in c.text for c in go
    )


def test_a_long_class_is_cut_at_its_methods() -> None:
    methods = "\n".join(
        f"    def method_{i}(self, value):\n"
        + "".join(f"        value += {j}\n" for j in range(8))
        + "        return value\n"
        for i in range(12)
    )
    text = f"class Big:\n    '''Many methods.'''\n\n{methods}"
    chunks = chunk_document(text, "python")
    assert len(text.split("\n")) > MAX_SYMBOL_LINES
    assert len(chunks) > 3
    assert all(c.end_line - c.start_line < MAX_SYMBOL_LINES for c in chunks)
    assert any("Big.method_5" in c.label for c in chunks)
    _covers_every_line(text, "python")


def test_a_long_function_without_inner_definitions_becomes_overlapping_blocks() -> None:
    body = "".join(f"    total += {i}\n" for i in range(150))
    text = f"def long_sum(total):\n{body}    return total\n"
    chunks = chunk_document(text, "python")
    assert len(chunks) >= 3
    assert all(c.end_line - c.start_line + 1 <= BLOCK_LINES + OVERLAP_LINES for c in chunks)
    assert all(c.label.startswith("long_sum (lines ") for c in chunks)
    for a, b in itertools.pairwise(chunks):
        assert b.start_line == a.end_line + 1 - OVERLAP_LINES  # consecutive blocks share lines
    _covers_every_line(text, "python")


def test_prose_and_unknown_languages_are_cut_into_blocks() -> None:
    text = "\n".join(f"Paragraph line {i} about the project." for i in range(100))
    chunks = chunk_document(text, None, "file:///w/README.txt")
    assert next(c.label for c in chunks) == "lines 1-40"
    assert chunks[-1].end_line == 99
    assert chunk_document("", "python") == []
    assert chunk_document("\n\n   \n", "python") == []


def test_language_comes_from_the_extension_when_the_id_is_unknown() -> None:
    labels = [c.label for c in chunk_document(GO, None, "file:///w/server.go")]
    assert any("NewServer" in label for label in labels)


def test_small_neighbours_are_merged() -> None:
    text = "import os\n\nX = 1\n\n\ndef a():\n    return 1\n\n\ndef b():\n    return 2\n"
    chunks = chunk_document(text, "python")
    assert len(chunks) <= 2
    assert all(c.text.count("\n") >= 2 for c in chunks)


def test_prepared_chunks_carry_hash_and_cl100k_count() -> None:
    prepared = prepare(PYTHON, "python", "file:///w/cfg.py")
    assert all(len(p.content_hash) == 64 and p.tokens > 0 for p in prepared)
    assert len({p.content_hash for p in prepared}) == len(prepared)


def test_the_same_file_as_uri_and_as_path() -> None:
    assert file_key("file:///home/me/app/main.py") == file_key("/home/me/app/main.py")
    assert file_key("file:///c%3A/app/main.py") == file_key("C:\\app\\main.py")
    assert file_key("file:///home/me/a%20b.py") == "/home/me/a b.py"
    assert display_path("untitled:Untitled-1") == "untitled:Untitled-1"
    assert to_uri("/home/me/x.py") == "file:///home/me/x.py"
    assert file_key(to_uri("/home/me/x.py")) == "/home/me/x.py"


@pytest.mark.parametrize(
    ("path", "excluded"),
    [
        ("file:///w/.env", True),
        ("/w/.env.local", True),
        ("file:///w/certs/server.pem", True),
        ("/w/node_modules/left-pad/index.js", True),
        ("/w/.git/config", True),
        ("/w/config/client_secret.json", True),
        ("/home/me/.ssh/id_rsa.pub", True),
        ("file:///w/src/main.py", False),
        ("/w/src/environment.ts", False),
    ],
)
def test_exclusion_globs(path: str, excluded: bool) -> None:
    from smart_router.config import ContextSettings

    assert is_excluded(path, ContextSettings().exclude) is excluded
