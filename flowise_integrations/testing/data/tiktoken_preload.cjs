/*
 * Offline tiktoken ranks for a Flowise server started by flowise_integrations.testing.
 *
 * LangChain estimates token counts by downloading BPE ranks from
 * https://tiktoken.pages.dev/js/<encoding>.json, retrying for minutes when there is no network.
 * The same ranks ship with Flowise inside the js-tiktoken package (js-tiktoken/ranks/<encoding>).
 * Loaded with NODE_OPTIONS=--require=<this file>, this script wraps globalThis.fetch so that
 * those URLs are answered from the local module; every other request goes to the real fetch.
 *
 * Environment:
 *   FLOWISE_TESTING_TIKTOKEN_PATHS  extra directories to resolve js-tiktoken from
 *                                   (path-delimited; tried after cwd and the main module's dir)
 *   FLOWISE_TESTING_TIKTOKEN_LOG    "1" to log to stderr when the wrapper loads and serves ranks
 *
 * This file must never throw while loading: a broken preload would stop the server starting.
 */
'use strict'

;(function installTiktokenPreload() {
    const path = require('path')
    const MARK = Symbol.for('flowise-integrations.testing.tiktoken-preload')
    const RANKS_URL = /^https:\/\/tiktoken\.pages\.dev\/js\/([A-Za-z0-9_]+)\.json(?:[?#].*)?$/
    const verbose = process.env.FLOWISE_TESTING_TIKTOKEN_LOG === '1'
    const bodies = new Map()

    function log(message) {
        if (verbose) process.stderr.write('[flowise-testing tiktoken-preload] ' + message + '\n')
    }

    function requestUrl(input) {
        if (typeof input === 'string') return input
        if (input instanceof URL) return input.href
        if (input && typeof input.url === 'string') return input.url
        return ''
    }

    function searchPaths() {
        const paths = [process.cwd()]
        const main = (require.main && require.main.filename) || process.argv[1]
        if (main) paths.push(path.dirname(main))
        const extra = process.env.FLOWISE_TESTING_TIKTOKEN_PATHS || ''
        for (const entry of extra.split(path.delimiter)) {
            if (entry) paths.push(entry)
        }
        return paths
    }

    /* The ranks JSON text for `encoding`, or undefined when js-tiktoken cannot be found. */
    function ranksBody(encoding) {
        if (bodies.has(encoding)) return bodies.get(encoding)
        let body
        try {
            const resolved = require.resolve('js-tiktoken/ranks/' + encoding, { paths: searchPaths() })
            const mod = require(resolved)
            const ranks = mod && typeof mod === 'object' && 'default' in mod ? mod.default : mod
            body = JSON.stringify(ranks)
            log('serving ' + encoding + ' from ' + resolved)
        } catch (error) {
            log('cannot serve ' + encoding + ' locally (' + error.message + '); using the network')
            body = undefined
        }
        bodies.set(encoding, body)
        return body
    }

    try {
        const originalFetch = globalThis.fetch
        if (typeof originalFetch !== 'function' || typeof globalThis.Response !== 'function') return
        if (originalFetch[MARK]) return

        const wrappedFetch = function fetch(input, init) {
            const match = RANKS_URL.exec(requestUrl(input))
            const body = match ? ranksBody(match[1]) : undefined
            if (body === undefined) return originalFetch.call(this, input, init)
            return Promise.resolve(
                new globalThis.Response(body, {
                    status: 200,
                    headers: { 'content-type': 'application/json' }
                })
            )
        }
        Object.defineProperty(wrappedFetch, MARK, { value: true })
        globalThis.fetch = wrappedFetch
        log('active (pid ' + process.pid + ')')
    } catch (error) {
        try {
            log('not installed: ' + (error && error.message))
        } catch (_ignored) {
            /* nothing left to do */
        }
    }
})()
