export const id = 560;
export const ids = [560];
export const modules = {

/***/ 8560:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ProxyRouter: () => (/* binding */ ProxyRouter)
/* harmony export */ });
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6752);
/* harmony import */ var _proxy_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7856);
/**
 * Requests through a proxy, with undici's public API: a ProxyAgent per proxy (CONNECT tunnels
 * for https targets, absolute-form requests for http ones) and a plain Agent for hosts that
 * bypass it. Loaded (with undici's whole entry) only when a proxy variable is set.
 */


class ProxyRouter extends undici__WEBPACK_IMPORTED_MODULE_0__/* .Dispatcher */ .mk {
    options;
    env;
    direct;
    viaProxy = new Map();
    constructor(options, env) {
        super();
        this.options = options;
        this.env = env;
        this.direct = new undici__WEBPACK_IMPORTED_MODULE_0__/* .Agent */ .g6(options);
    }
    dispatch(options, handler) {
        const proxy = (0,_proxy_js__WEBPACK_IMPORTED_MODULE_1__/* .proxyFor */ .iJ)(new URL(String(options.origin)), this.env);
        return (proxy ? this.agentFor(proxy) : this.direct).dispatch(options, handler);
    }
    close(callback) {
        const closed = this.all((agent) => agent.close());
        if (!callback)
            return closed;
        void closed.then(callback);
    }
    destroy(first, second) {
        const error = typeof first === 'function' ? null : (first ?? null);
        const callback = typeof first === 'function' ? first : second;
        const destroyed = this.all((agent) => agent.destroy(error));
        if (!callback)
            return destroyed;
        void destroyed.then(callback);
    }
    async all(act) {
        await Promise.all([act(this.direct), ...[...this.viaProxy.values()].map(act)]);
    }
    agentFor(proxy) {
        let agent = this.viaProxy.get(proxy.href);
        if (!agent) {
            // HTTP/1.1 to the proxy too (client-h2-off.js): an https proxy could otherwise offer h2.
            agent = new undici__WEBPACK_IMPORTED_MODULE_0__/* .ProxyAgent */ .kT({ ...this.options, uri: proxy.href, proxyTls: { allowH2: false } });
            this.viaProxy.set(proxy.href, agent);
        }
        return agent;
    }
}


/***/ })

};
