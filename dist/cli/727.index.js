export const id = 727;
export const ids = [727];
export const modules = {

/***/ 5727:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   adcAuth: () => (/* binding */ adcAuth)
/* harmony export */ });
/* harmony import */ var google_auth_library__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(492);
/* harmony import */ var google_auth_library__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(google_auth_library__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/**
 * OAuth2 tokens from Google's Application Default Credentials, through google-auth-library: the
 * service-account key or the workload-identity (`external_account`) file google-github-actions/auth
 * writes to GOOGLE_APPLICATION_CREDENTIALS, gcloud's, or the metadata server's. The library caches
 * each token and fetches a new one before it expires, so a long wait keeps a valid one. Loaded
 * only for vertex.
 */


const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
async function adcAuth(project, env) {
    // The project is named (the job's), so the library does not look it up over the network.
    const auth = new google_auth_library__WEBPACK_IMPORTED_MODULE_0__.GoogleAuth({ scopes: [SCOPE], ...(project ? { projectId: project } : {}) });
    const client = await auth.getClient().catch((error) => {
        throw noCredentials(error, env);
    });
    let token = '';
    try {
        token = (await client.getAccessToken()).token ?? '';
        if (token === '')
            throw new Error('no access token came back');
    }
    catch (error) {
        // The token endpoint did not answer, or answered 5xx, 408 or 429: the credentials are there.
        // The first request asks again, and a failure there is retried like any outage (headers below).
        if (!isOutage(error))
            throw noCredentials(error, env);
    }
    return {
        async headers() {
            try {
                token = (await client.getAccessToken()).token ?? token;
            }
            catch (error) {
                // An outage of the token endpoint is retried like any fault (the client wraps it); one
                // that answers and refuses (an expired or rejected subject token) will refuse again.
                const status = refusalStatus(error);
                if (status === null)
                    throw error;
                const why = error instanceof Error ? error.message : String(error);
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AuthError */ .lR(`Google refused a new access token for vertex (HTTP ${status}: ${why}): the credentials in GOOGLE_APPLICATION_CREDENTIALS no longer work. Run google-github-actions/auth in this job before this step (workload identity federation, with \`permissions: id-token: write\`, or a service-account key); a credentials file holding a fixed OIDC token stops working when that token expires.`, status, `token request: HTTP ${status} ${why}`);
            }
            return { authorization: `Bearer ${token}` };
        },
        secrets: () => [token],
    };
}
function noCredentials(error, env) {
    const file = env.GOOGLE_APPLICATION_CREDENTIALS;
    return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL(`No usable Google credentials for vertex${file ? ` in GOOGLE_APPLICATION_CREDENTIALS (${file})` : ''}: run google-github-actions/auth before this step (workload identity federation, with \`permissions: id-token: write\`, or a service-account key); it sets GOOGLE_APPLICATION_CREDENTIALS. ${error instanceof Error ? error.message : String(error)}`);
}
/** Connections that failed or broke on the way: the token endpoint is there, and down for now. */
const NETWORK_FAULTS = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ECONNABORTED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
]);
/** A token endpoint that did not answer, or answered 5xx, 408 or 429. */
function isOutage(error) {
    const status = statusOf(error);
    if (status !== null)
        return status >= 500 || status === 408 || status === 429;
    for (let cause = error, depth = 0; cause && depth < 4; depth++) {
        const code = cause.code;
        if (typeof code === 'string' && NETWORK_FAULTS.has(code))
            return true;
        cause = cause.cause;
    }
    return false;
}
/**
 * The HTTP status with which a token endpoint (STS, IAM credentials, the metadata server) refused
 * to issue a token; null for failures worth retrying: no answer, 408, 429, 5xx.
 */
function refusalStatus(error) {
    const code = statusOf(error);
    return code !== null && code >= 400 && code < 500 && code !== 408 && code !== 429 ? code : null;
}
/** google-auth-library leaves the status on the error it throws (`status`, or `response.status`). */
function statusOf(error) {
    if (typeof error !== 'object' || error === null)
        return null;
    const { status, response } = error;
    return typeof status === 'number' ? status : typeof response?.status === 'number' ? response.status : null;
}


/***/ })

};
