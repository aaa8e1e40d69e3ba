export const id = 960;
export const ids = [960];
export const modules = {

/***/ 8960:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   sigv4Auth: () => (/* binding */ sigv4Auth)
/* harmony export */ });
/* harmony import */ var _aws_sdk_credential_provider_node__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5861);
/* harmony import */ var _smithy_core_checksum__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9542);
/* harmony import */ var _smithy_core_retry__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3609);
/* harmony import */ var _smithy_signature_v4__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5118);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/**
 * SigV4 for Bedrock with the AWS SDK's own pieces: its default credential chain (environment as
 * configure-aws-credentials sets it, AWS_SESSION_TOKEN, web identity, shared profiles, container
 * and instance roles; refreshed before they expire) and its signer. Loaded only for bedrock.
 */





async function sigv4Auth(region) {
    // STS (web identity, roles in profiles) in the job's own region: without one the SDK falls back
    // to us-east-1 and says so on stderr.
    const chain = (0,_aws_sdk_credential_provider_node__WEBPACK_IMPORTED_MODULE_1__/* .defaultProvider */ .v6)({ clientConfig: { region } });
    let current;
    // What the SDK's errors quote must not carry the session's secrets out (as the client scrubs answers).
    const scrub = (text) => {
        let out = text;
        for (const secret of [current?.secretAccessKey, current?.sessionToken])
            if (secret && secret.length >= 4)
                out = out.replaceAll(secret, '***');
        return out;
    };
    try {
        current = await chain();
    }
    catch (error) {
        const refused = refusal(error);
        if (refused)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(refusedMessage(refused, 'issue', process.env));
        // STS (or a container's credentials endpoint) did not answer, or answered 5xx or throttled,
        // past the SDK's own attempts: the credentials exist. The first request asks again, and a
        // failure there is retried like any outage (the signer's credentials below).
        if (!isOutage(error))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(`No AWS credentials for bedrock: run aws-actions/configure-aws-credentials before this step (with \`role-to-assume\`, and \`permissions: id-token: write\` for OIDC), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. The AWS SDK found none: ${error instanceof Error ? error.message : String(error)}`);
    }
    const signer = new _smithy_signature_v4__WEBPACK_IMPORTED_MODULE_2__.SignatureV4({
        service: 'bedrock',
        region,
        sha256: _smithy_core_checksum__WEBPACK_IMPORTED_MODULE_3__.Sha256,
        // The chain is memoised and fetches new credentials as the old ones near their expiry.
        credentials: async () => {
            try {
                return (current = await chain());
            }
            catch (error) {
                // An outage of STS (no answer, 5xx, throttling) is retried like any fault (the client
                // wraps it); a refusal to renew (an expired or rejected web identity token, a role that
                // no longer trusts it) will refuse again until timeout-minutes.
                const refused = refusal(error);
                if (refused === null)
                    throw error;
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AuthError */ .lR(scrub(refusedMessage(refused, current ? 'renew' : 'issue', process.env)), refused.status, scrub(`credentials request: HTTP ${refused.status} ${refused.name}: ${refused.message}`));
            }
        },
    });
    return {
        async headers(request) {
            const { url } = request;
            const signed = await signer.sign({
                method: request.method,
                protocol: url.protocol,
                hostname: url.hostname,
                ...(url.port ? { port: Number(url.port) } : {}),
                // The path as it goes on the wire (an ARN is one encoded segment); the signer encodes it again.
                path: url.pathname,
                query: Object.fromEntries(url.searchParams),
                headers: { ...request.headers, host: url.host },
                body: request.body,
            });
            // undici sends the same Host from the URL.
            const { host: _host, ...headers } = signed.headers;
            return headers;
        },
        secrets: () => [current?.secretAccessKey ?? '', current?.sessionToken ?? ''].filter((value) => value !== ''),
    };
}
/** A failure to reach what issues credentials: no answer, 408, 429, 5xx, throttling. */
function isOutage(error) {
    if (typeof error !== 'object' || error === null)
        return false;
    const status = error.$metadata?.httpStatusCode;
    if (typeof status === 'number' && (status >= 500 || status === 408 || status === 429))
        return true;
    const classified = error;
    return (0,_smithy_core_retry__WEBPACK_IMPORTED_MODULE_4__.isThrottlingError)(classified) || (0,_smithy_core_retry__WEBPACK_IMPORTED_MODULE_4__.isTransientError)(classified);
}
/**
 * How AWS (STS, SSO, a container's credentials endpoint) refused to issue credentials; null for
 * failures worth retrying: no answer, 408, 429, 5xx, and what the SDK itself deems transient or
 * throttling (STS throttles with HTTP 400 `Throttling`; `IDPCommunicationError` is retryable).
 * The SDK's service errors carry the status in `$metadata.httpStatusCode`.
 */
function refusal(error) {
    if (typeof error !== 'object' || error === null)
        return null;
    const { $metadata, name, message } = error;
    const status = $metadata?.httpStatusCode;
    if (typeof status !== 'number' || status < 400 || status >= 500 || status === 408 || status === 429)
        return null;
    const classified = error;
    if ((0,_smithy_core_retry__WEBPACK_IMPORTED_MODULE_4__.isThrottlingError)(classified) || (0,_smithy_core_retry__WEBPACK_IMPORTED_MODULE_4__.isTransientError)(classified))
        return null;
    return {
        status,
        name: typeof name === 'string' && name !== '' ? name : 'Error',
        message: typeof message === 'string' ? message : '',
    };
}
/** One message naming what refused, what it means for the configuration in use, and what to do. */
function refusedMessage(refused, when, env) {
    const answer = `HTTP ${refused.status} ${refused.name}${refused.message ? `: ${refused.message}` : ''}`;
    const tokenFile = env.AWS_WEB_IDENTITY_TOKEN_FILE;
    const roleArn = env.AWS_ROLE_ARN;
    const webIdentity = Boolean(tokenFile && roleArn && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE);
    const what = when === 'issue' ? 'refused credentials for bedrock' : 'refused to renew the credentials for bedrock';
    if (webIdentity) {
        return `AWS STS ${what} (${answer}): the web identity token in AWS_WEB_IDENTITY_TOKEN_FILE (${tokenFile}) expired or was refused for AWS_ROLE_ARN (${roleArn}). Run aws-actions/configure-aws-credentials in this job before this step (with \`role-to-assume\`, and \`permissions: id-token: write\` for OIDC) and a \`role-duration-seconds\` long enough for the wait, or keep the token file fresh; a token written to a file once cannot renew a role session after it expires.`;
    }
    return `AWS ${what} (${answer}): the credentials the AWS SDK found (a profile's role, SSO, a container or instance role) ${when === 'issue' ? 'were not accepted' : 'can no longer be renewed'}. Run aws-actions/configure-aws-credentials in this job before this step (with \`role-to-assume\`, and \`permissions: id-token: write\` for OIDC) and a \`role-duration-seconds\` long enough for the wait, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`;
}


/***/ })

};
