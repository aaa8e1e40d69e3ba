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
/* harmony import */ var _smithy_signature_v4__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5118);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/**
 * SigV4 for Bedrock with the AWS SDK's own pieces: its default credential chain (environment as
 * configure-aws-credentials sets it, AWS_SESSION_TOKEN, web identity, shared profiles, container
 * and instance roles; refreshed before they expire) and its signer. Loaded only for bedrock.
 */




async function sigv4Auth(region) {
    const chain = (0,_aws_sdk_credential_provider_node__WEBPACK_IMPORTED_MODULE_1__/* .defaultProvider */ .v6)();
    let current;
    try {
        current = await chain();
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigError */ .xL(`No AWS credentials for bedrock: run aws-actions/configure-aws-credentials before this step (with \`role-to-assume\`, and \`permissions: id-token: write\` for OIDC), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. The AWS SDK found none: ${error instanceof Error ? error.message : String(error)}`);
    }
    const signer = new _smithy_signature_v4__WEBPACK_IMPORTED_MODULE_2__.SignatureV4({
        service: 'bedrock',
        region,
        sha256: _smithy_core_checksum__WEBPACK_IMPORTED_MODULE_3__.Sha256,
        // The chain is memoised and fetches new credentials as the old ones near their expiry.
        credentials: async () => (current = await chain()),
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
        secrets: () => [current.secretAccessKey, current.sessionToken ?? ''].filter((value) => value !== ''),
    };
}


/***/ })

};
