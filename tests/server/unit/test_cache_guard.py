"""The near-miss guard of the response cache: questions that differ in something that changes the
answer are refused, paraphrases pass. Cases come from our development sets
(tests/server/unit/data/cache_dev.jsonl, tests/bench/data/response_cache_dev.jsonl) and from each
mechanism of the guard (lexical rules here; the word vectors in test_response_cache.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smart_router.context.guard import counterpart, hard_refusal, lone_words, near_miss, question, refusals

DEV = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "cache_dev.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
NEAR_MISSES = [(row["question"], near["question"]) for row in DEV for near in row["near_misses"]]
PARAPHRASES = [(row["question"], p) for row in DEV for p in row["paraphrases"]]


def test_dev_set_is_the_size_the_tuning_used() -> None:
    assert len(DEV) >= 40
    assert {row["lang"] for row in DEV} == {"en", "nl"}
    assert all(2 <= len(row["paraphrases"]) <= 4 and 1 <= len(row["near_misses"]) <= 2 for row in DEV)


@pytest.mark.parametrize(("question", "near"), NEAR_MISSES, ids=[n for _, n in NEAR_MISSES])
def test_every_near_miss_of_the_dev_set_is_refused(question: str, near: str) -> None:
    assert near_miss(near, question) is not None
    assert near_miss(question, near) is not None  # the guard is symmetric in what it refuses


def test_most_paraphrases_of_the_dev_set_pass() -> None:
    refused = [(q, p, why) for q, p in PARAPHRASES if (why := near_miss(p, q)) is not None]
    # 27 of 105 are refused by the lexical rules alone (without word vectors) since the alignment
    # guard was frozen (reworded content words, negations such as "has no elements" for "is
    # empty"); a rise means the guard got stricter.
    assert len(refused) <= 27, refused


@pytest.mark.parametrize(
    ("asked", "stored", "reason"),
    [
        (
            "Create a virtual environment in Python 3.8",
            "Create a virtual environment in Python 3.12",
            "versions",
        ),
        ("merge two dictionaries in Python 2", "merge two dictionaries in Python", "versions"),
        ("merge three dictionaries in Python", "merge two dictionaries in Python", "numbers"),
        (
            "How do I get the third highest salary in SQL?",
            "How do I get the second highest salary in SQL?",
            "ordinals",
        ),
        ("Why is useLayoutEffect running twice?", "Why is useEffect running twice?", "counterpart"),
        ("What does the ?? operator do?", "What does the ?. operator do?", "counterpart"),
        ("Loop over all .csv files in bash", "Loop over all .txt files in bash", "names"),
        ("What does `git stash pop` do?", "What does `git stash apply` do?", "counterpart"),
        (
            "How do I undo the last commit in git after I already pushed it?",
            "How do I undo the last commit in git?",
            "without counterpart in the other question (after, already, pushed)",
        ),
        ("Replace text in a file with sed on macOS", "Replace text in a file with sed", "names"),
        ("Reverse a list in JavaScript", "Reverse a list in Python", "names"),
        ("Convert a string to an int in C#", "Convert a string to an int in Java", "names"),
        ("Read a YAML file with Python", "Read a JSON file with Python", "names"),
        ("How do I check if an array is not empty?", "How do I check if an array is empty?", "negated"),
        ("Waarom werkt mijn import niet?", "Waarom werkt mijn import?", "negated"),
        ("Sort a list of dicts by key, ascending", "Sort a list of dicts by key, descending", "opposite"),
        ("Find the key with the minimum value", "Find the key with the maximum value", "opposite"),
        ("Remove an event listener from a button", "Add an event listener to a button", "opposite"),
        ("Read a file asynchronously in Node.js", "Read a file synchronously in Node.js", "opposite"),
        ("Decode a base64 string in Python", "Encode a string to base64 in Python", "opposite"),
        ("Hoe sorteer ik een lijst oplopend?", "Hoe sorteer ik een lijst aflopend?", "opposite"),
        ("Reverse a string in Python", "Reverse a list in Python", "opposite"),
        ("Convert an int to a string in Java", "Convert a string to an int in Java", "conversion"),
        ("Convert a local datetime to UTC", "Convert a UTC datetime to local time", "conversion"),
        ("Delete a local branch in git", "Delete a remote branch in git", "opposite"),
        ("How do I shuffle an array of numbers?", "How do I sort an array of numbers?", "counterpart"),
        ("What does git fetch do?", "What does git pull do?", "opposite"),
        (
            "Difference between a thread and a coroutine",
            "Difference between a process and a thread",
            "counterpart",
        ),
    ],
)
def test_each_mechanism_refuses_its_kind_of_near_miss(asked: str, stored: str, reason: str) -> None:
    why = near_miss(asked, stored)
    assert why is not None
    assert reason in why, why


@pytest.mark.parametrize(
    ("asked", "stored"),
    [
        ("how to reverse a python list", "How do I reverse a list in Python?"),
        ("HOW DO I REVERSE A LIST IN PYTHON", "How do I reverse a list in Python?"),
        ("merge 2 dicts in python", "How do I merge two dictionaries in Python?"),
        ("Restart a pod in k8s", "How do I restart a pod in Kubernetes?"),
        (
            "Attach an event listener to a button in JS",
            "How do I add an event listener to a button in JavaScript?",
        ),
        ("git delete remote branch", "How do I delete a remote branch in git?"),
        ("node.js read a file synchronously", "How do I read a file synchronously in Node.js?"),
        ("Hoe kan ik een lijst aflopend sorteren in Python?", "Hoe sorteer ik een lijst aflopend in Python?"),
        ("make a symlink on linux", "How do I create a symbolic link in Linux?"),
        ("Reverse a String in Java", "How do I reverse a string in Java?"),
        ("read file line by line pyhton", "How do I read a file line by line in Python?"),
        ("go array vs slice", "What is the difference between a slice and an array in Go?"),
        ("meaning of java.lang.NullPointerException", "What does 'java.lang.NullPointerException' mean?"),
        ("hey, how do I reverse a lisst in python? thanks a lot", "How do I reverse a list in Python?"),
    ],
)
def test_paraphrases_pass(asked: str, stored: str) -> None:
    assert near_miss(asked, stored) is None


def test_what_a_question_pins_down() -> None:
    q = question("Why does `foo_bar()` fail with Python 3.12 on page two when usersList isn't empty?")
    assert q.versions == {"3.12"} and q.counts == {"2"}
    assert {"foo_bar", "userslist"} <= q.code
    assert q.names == {"python"}
    assert q.negated
    assert "why" not in q.words and "fail" in q.words
    assert question("Why does it fail?") is question("Why does it fail?")  # cached per text


def test_counterparts_stems_typos_synonyms_and_word_vectors() -> None:
    assert counterpart("dictionaries", "dict")
    assert counterpart("duplicates", "dupilcates")  # a typo
    assert counterpart("combine", "merge")  # the synonym table
    assert not counterpart("ascending", "descending")
    assert not counterpart("shuffle", "sort")
    assert counterpart("shuffle", "sort", lambda x, y: 0.9)  # close word vectors
    assert not counterpart("deep", "shallow", lambda x, y: 0.9)  # never across a contrast
    assert lone_words("sort an array in place", "sort an array") == ("place",)
    assert lone_words("sort an array in place", "sort an array", lambda x, y: 0.9) == ()


def test_go_the_language_and_go_the_verb() -> None:
    assert question("How do I wait for goroutines in Go?").names == {"golang"}
    assert question("go iterate map key value").names == {"golang"}
    assert question("How do I go through a list in Python?").names == {"python"}
    assert near_miss("wait for all goroutines in golang", "Wait for all goroutines in Go") is None


# -- the hard refusals as the learned decision (cache_match.py) keeps them ------------------------


def test_hard_refusals_spare_words_that_only_look_like_names_or_versions() -> None:
    assert question("What's the query to return only ten records?").names == frozenset()  # not jquery
    assert question("how to patch a function in pytest").names == {"pytest"}  # not batch
    assert question("tekst bold maken in css").names == {"css"}  # not maven
    assert question("Hoe tel ik de rijen in een tabel?").names == frozenset()  # not babel
    assert question("install the requests library").names == {"requests"}
    assert question("what is a request body").names == frozenset()
    assert question("What does 'java.lang.NullPointerException' mean?").names == {"java"}
    assert question("What does HTTP 404 mean?").versions == frozenset()  # a status code, a count
    assert (
        hard_refusal(
            "difference between 401 and 403 status", "What is the difference between HTTP 401 and 403?"
        )
        is None
    )


def test_related_names_one_sided_ordinals_and_overlapping_alternatives_are_left_to_the_model() -> None:
    assert "names" not in refusals(
        "In a shell script, check if a file exists", "Check if a file exists in bash"
    )
    assert "names" not in refusals("SQL to add a column in Postgres", "Add a column in PostgreSQL")
    assert "names" in refusals("Reverse a list in JavaScript", "Reverse a list in Python")
    assert "ordinals" not in refusals(
        "make useEffect fire on the first render only", "run useEffect only once"
    )
    assert "ordinals" in refusals("get the third highest salary", "get the second highest salary")
    assert "opposites" not in refusals(
        "list versus tuple: what sets them apart?", "difference between a list and a tuple"
    )
    assert "opposites" in refusals("Reverse a string in Python", "Reverse a list in Python")


def test_identifiers_that_differ_are_a_hard_refusal() -> None:
    assert (
        hard_refusal("Why is useLayoutEffect running twice?", "Why is useEffect running twice?") is not None
    )
    assert "identifiers" not in refusals("useEffect runs twice, why?", "Why is useEffect running twice?")


def test_hard_refusals_rarely_refuse_a_paraphrase_of_the_dev_sets() -> None:
    rows = DEV + [
        json.loads(line)
        for line in (Path(__file__).parents[2] / "bench" / "data" / "response_cache_dev.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip()
    ]
    pairs = [(p, row["question"]) for row in rows for p in row["paraphrases"]]
    refused = [(p, q) for p, q in pairs if hard_refusal(p, q) is not None]
    nears = [(n["question"], row["question"]) for row in rows for n in row["near_misses"]]
    caught = [(n, q) for n, q in nears if hard_refusal(n, q) is not None]
    # measured when the learned decision was frozen: 35 of 405 paraphrases, 157 of 253 near misses
    assert len(refused) <= 35 and len(pairs) == 405, refused
    assert len(caught) >= 157, len(caught)
