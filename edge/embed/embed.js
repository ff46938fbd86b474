/*!
 * Mediation board embed SDK, version 1.0.0 — served by the edge at /embed.js.
 *
 *   <script src="https://BOARD-EDGE/embed.js"></script>
 *   const board = MediationBoard.create(document.getElementById('board'), {
 *     token,                       // session JWT minted by your server (HS256, BOARD_SESSION_SECRET)
 *     view: 'board',               // 'board' | 'case' | 'transcript'
 *     caseId, jobId,               // for 'case' / 'transcript'
 *     filter: 'stage=follow_up',   // optional board filter (query string)
 *     locale: 'zh-CN',             // or 'en'
 *     theme: { '--accent': '#b5261e' },
 *     onEvent: (type, payload) => {},
 *   });
 *   board.setToken(newToken); board.openCase(id); board.openTranscript(caseId, jobId);
 *   board.openBoard(); board.setFilter('status=NoAnswer'); board.setLanguage('en');
 *   board.setTheme({ '--font': 'serif' }); board.on('action_completed', fn); board.destroy();
 *
 * Events: ready, signed_in, case_opened, transcript_opened, action_completed,
 * notice (a call of a case the user took over ended, its results arrived, or
 * one of the user's reminders is due),
 * token_expiring (send a new token with setToken), error.
 * The token travels only by postMessage to the board's origin and lives in
 * memory: never in a cookie or a URL. Messages are accepted only from the
 * board's own origin and its own iframe, so several boards on one page stay apart.
 */
(function () {
  'use strict';
  var VERSION = '1.0.0';
  var PROTOCOL = 1;
  var script = document.currentScript;
  var defaultOrigin = script && script.src ? new URL(script.src).origin : window.location.origin;
  var counter = 0;

  function create(element, options) {
    if (!element || !element.appendChild) throw new Error('MediationBoard.create: an element is required');
    options = options || {};
    var origin = (options.origin || defaultOrigin).replace(/\/$/, '');
    var id = options.id || 'board-' + (++counter) + '-' + Math.random().toString(36).slice(2, 8);
    var token = options.token || null;
    var listeners = {};
    var ready = false;
    var queue = [];

    var frame = document.createElement('iframe');
    frame.src = origin + '/embed';
    frame.title = options.title || '调解看板 / Mediation board';
    frame.setAttribute('data-board-id', id);
    frame.style.border = '0';
    frame.style.width = '100%';
    frame.style.height = options.height || '100%';
    frame.allow = 'clipboard-write';
    element.appendChild(frame);

    function emit(type, payload) {
      (listeners[type] || []).concat(listeners['*'] || []).forEach(function (fn) {
        try { fn(type, payload); } catch (e) { console.error('MediationBoard listener failed', e); }
      });
      if (typeof options.onEvent === 'function') {
        try { options.onEvent(type, payload); } catch (e) { console.error('MediationBoard onEvent failed', e); }
      }
    }

    function send(type, payload) {
      var message = { target: 'mediation-board', version: PROTOCOL, type: type, payload: payload || {} };
      if (!ready && type !== 'init') { queue.push(message); return; }
      frame.contentWindow.postMessage(message, origin);
    }

    function onMessage(event) {
      if (event.origin !== origin || event.source !== frame.contentWindow) return;
      var data = event.data;
      if (!data || data.source !== 'mediation-board') return;
      if (data.version !== PROTOCOL) { console.warn('MediationBoard: unsupported protocol', data.version); return; }
      if (data.type === 'ready') {
        // (Re)loaded: introduce ourselves with the token and the view.
        send('init', {
          board: id, token: token, view: options.view || 'board', caseId: options.caseId, jobId: options.jobId,
          filter: options.filter, locale: options.locale, theme: options.theme,
        });
        ready = true;
        queue.splice(0).forEach(function (m) { frame.contentWindow.postMessage(m, origin); });
        emit('ready', data.payload);
        return;
      }
      if (data.board && data.board !== id) return;
      var known = ['signed_in', 'case_opened', 'transcript_opened', 'action_completed', 'notice', 'token_expiring', 'error'];
      if (known.indexOf(data.type) === -1) { console.warn('MediationBoard: ignored unknown message', data.type); return; }
      emit(data.type, data.payload);
    }
    window.addEventListener('message', onMessage);

    return {
      id: id,
      frame: frame,
      setToken: function (t) { token = t; send('set_token', { token: t }); },
      openCase: function (caseId) { send('open_case', { caseId: caseId }); },
      openTranscript: function (caseId, jobId) { send('open_transcript', { caseId: caseId, jobId: jobId }); },
      openBoard: function () { send('open_board', {}); },
      setFilter: function (filter) { send('set_filter', { filter: filter }); },
      setLanguage: function (locale) { send('set_language', { locale: locale }); },
      setTheme: function (vars) { send('set_theme', { vars: vars }); },
      on: function (type, fn) { (listeners[type] = listeners[type] || []).push(fn); return this; },
      destroy: function () {
        window.removeEventListener('message', onMessage);
        if (frame.parentNode) frame.parentNode.removeChild(frame);
        token = null;
      },
    };
  }

  window.MediationBoard = { version: VERSION, protocol: PROTOCOL, create: create };
})();
