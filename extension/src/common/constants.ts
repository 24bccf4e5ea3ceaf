/**
 * Every name the extension shares with VS Code or with the Python server.
 *
 * The custom LSP method names live here and in `server/smart_router/protocol.py` only
 * (see docs/protocol.md). This module must stay free of runtime `vscode` imports: the
 * unit tests and the webview bundle import it.
 */

/** Identity of the extension and the things it registers. */
export namespace Extension {
  export const ID = 'smart-router.smart-router';
  export const NAME = 'Smart Router';
  /** `vscode.workspace.getConfiguration(CONFIG_SECTION)` */
  export const CONFIG_SECTION = 'smartRouter';
  export const OUTPUT_CHANNEL = 'Smart Router';
  export const CLIENT_ID = 'smartRouter';
  export const STATUS_BAR_ID = 'smartRouter.costMeter';
  export const STATUS_BAR_NAME = 'Smart Router cost';
  export const CHAT_VIEW_TYPE = 'smartRouter.chat';
  export const CHAT_TITLE = 'Smart Router';
  /** URI scheme of the proposed edits shown in a diff before they are applied. */
  export const PROPOSAL_SCHEME = 'smart-router-proposal';
  /** Context key: true while an edit proposed by a code action waits for Apply or Discard. */
  export const PROPOSAL_CONTEXT_KEY = 'smartRouter.editProposed';
  export const USAGE_VIEW_TYPE = 'smartRouter.usage';
  export const USAGE_TITLE = 'Smart Router Usage';
  export const ARENA_VIEW_TYPE = 'smartRouter.arena';
  export const ARENA_TITLE = 'Smart Router Arena';
  /** workspaceState key: the conversation open in the chat panel. */
  export const OPEN_CONVERSATION_KEY = 'smartRouter.chat.conversationId';
  /** workspaceState key: the model picked in the chat panel (absent: the router decides). */
  export const CHAT_MODEL_KEY = 'smartRouter.chat.model';
}

/** Command ids contributed in package.json. */
export namespace Commands {
  export const ASK = 'smartRouter.ask';
  export const OPEN_CHAT = 'smartRouter.openChat';
  export const SET_API_KEY = 'smartRouter.setApiKey';
  export const RESTART_SERVER = 'smartRouter.restartServer';
  export const SHOW_OUTPUT = 'smartRouter.showOutput';
  export const SET_BUDGET = 'smartRouter.setBudget';
  export const SHOW_USAGE = 'smartRouter.showUsage';
  export const CODE_ACTION = 'smartRouter.codeAction';
  export const APPLY_EDIT = 'smartRouter.applyEdit';
  export const DISCARD_EDIT = 'smartRouter.discardEdit';
  export const SHOW_STATUS = 'smartRouter.showStatus';
  export const ARENA = 'smartRouter.arena';
  export const SHOW_LEADERBOARD = 'smartRouter.showLeaderboard';
  export const CLEAR_CONTEXT = 'smartRouter.clearContext';
  export const PIN_NOTE = 'smartRouter.pinNote';
  export const SHOW_CONTEXT_STATS = 'smartRouter.showContextStats';
}

/** JSON-RPC requests the client sends to the server. */
export namespace Requests {
  export const ASK = 'smartRouter/ask';
  export const ROUTE = 'smartRouter/route';
  export const BUDGET_STATUS = 'smartRouter/budgetStatus';
  export const MODELS = 'smartRouter/models';
  export const SET_API_KEY = 'smartRouter/setApiKey';
  export const USAGE_REPORT = 'smartRouter/usageReport';
  export const ARENA = 'smartRouter/arena';
  export const ARENA_VOTE = 'smartRouter/arenaVote';
  export const LEADERBOARD = 'smartRouter/leaderboard';
  export const CONVERSATIONS = 'smartRouter/conversations';
  export const CONVERSATION = 'smartRouter/conversation';
  export const CONVERSATION_FORK = 'smartRouter/conversationFork';
  export const CONVERSATION_DELETE = 'smartRouter/conversationDelete';
  export const CONVERSATION_RENAME = 'smartRouter/conversationRename';
  export const CONTEXT_SEARCH = 'smartRouter/contextSearch';
  export const CONTEXT_STATS = 'smartRouter/contextStats';
  export const CONTEXT_CLEAR = 'smartRouter/contextClear';
  export const PIN_NOTE = 'smartRouter/pinNote';
  export const UNPIN_NOTE = 'smartRouter/unpinNote';
}

/** JSON-RPC notifications the server sends to the client. */
export namespace Notifications {
  export const ROUTED = 'smartRouter/routed';
  export const STREAM = 'smartRouter/stream';
  export const BUDGET_CHANGED = 'smartRouter/budgetChanged';
  export const BUDGET_ALERT = 'smartRouter/budgetAlert';
  export const STATUS = 'smartRouter/status';
  export const ARENA_STARTED = 'smartRouter/arenaStarted';
  export const ARENA_STREAM = 'smartRouter/arenaStream';
  export const ARENA_CONTESTANT = 'smartRouter/arenaContestant';
  export const ARENA_MERGE = 'smartRouter/arenaMerge';
}

/** JSON-RPC error codes of docs/protocol.md. */
export namespace ErrorCodes {
  export const CONFIGURATION = -32001;
  export const BAD_INPUT = -32002;
  export const CONTEXT_TOO_LONG = -32003;
  export const PROVIDER = -32010;
  export const KEYRING = -32020;
  export const BUDGET_EXCEEDED = -32030;
  /** LSP `RequestCancelled`. */
  export const REQUEST_CANCELLED = -32800;
}

/** How the extension finds and runs the Python sidecar. */
export namespace Python {
  export const MIN_VERSION: readonly [number, number] = [3, 11];
  /** Import name: the server runs as `python -m smart_router`. */
  export const MODULE = 'smart_router';
  /** Distribution name in pyproject.toml. */
  export const DISTRIBUTION = 'smart-router';
  /** Interpreters tried on PATH when `smartRouter.pythonPath` is empty, in order. */
  export const PATH_CANDIDATES: readonly string[] = ['python3', 'python'];
  /** Folder of the private virtual environment inside the extension's global storage. */
  export const VENV_DIR = 'venv';
  export const PROBE_TIMEOUT_MS = 15_000;
}

/** Timings of the user interface. */
export namespace Timing {
  /** The chat webview re-renders streamed Markdown at most this often (about 20 fps). */
  export const RENDER_INTERVAL_MS = 50;
  export const SERVER_STOP_TIMEOUT_MS = 5_000;
  /** How long a request waits for a server that is restarting after a crash. */
  export const SERVER_START_WAIT_MS = 30_000;
}
