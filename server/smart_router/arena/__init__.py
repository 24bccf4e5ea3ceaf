"""The arena: battle groups, convergence on the best answer, votes and the user's ratings.

`groups` chooses who fights (adapted to the keys the user has), `convergence` picks and explains
the best answer (`similarity` measures agreement), `votes` stores the user's verdicts as pairwise
outcomes, `ratings` fits Bradley-Terry ratings with bootstrap intervals and turns them into the
router's quality adjustment, `replay` scores answered battles offline. See docs/arena.md.
Nothing here imports numpy at import time; only leaderboard intervals load it.
"""

from smart_router.arena.convergence import Answer, AnswerScore, Verdict, converge, score_answers
from smart_router.arena.groups import BUILTIN_GROUPS, ResolvedGroup, group_names, resolve_group
from smart_router.arena.ratings import Rating, Ratings, fit_ratings, leaderboard, load_ratings
from smart_router.arena.votes import VOTE_KINDS, Battle, Outcome, VoteKind, VoteStore, expand_vote

__all__ = [
    "BUILTIN_GROUPS",
    "VOTE_KINDS",
    "Answer",
    "AnswerScore",
    "Battle",
    "Outcome",
    "Rating",
    "Ratings",
    "ResolvedGroup",
    "Verdict",
    "VoteKind",
    "VoteStore",
    "converge",
    "expand_vote",
    "fit_ratings",
    "group_names",
    "leaderboard",
    "load_ratings",
    "resolve_group",
    "score_answers",
]
