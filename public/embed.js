/*
 * SAE Explorer host script: one <script src=".../embed.js" async></script> on a page that embeds
 * SAE Explorer views in iframes. It sizes each frame to its content as the view reports it, and
 * gives the page SAEExplorer.send / SAEExplorer.request to drive a view by postMessage.
 * No build step, no dependencies. The messages are documented in docs/EMBEDDING.md.
 */
/* global window, document, URL */
(function () {
  'use strict';
  if (window.SAEExplorer) return; // loaded twice: the first copy already listens

  var PREFIX = 'sae-explorer:';
  var MAX_HEIGHT = 100000;
  var nextId = 1;
  var pending = {};

  /** The iframe element whose window sent `event`, if its own address is on the sender's origin. */
  function frameOf(event) {
    var frames = document.getElementsByTagName('iframe');
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      try {
        return new URL(frame.src, document.baseURI).origin === event.origin ? frame : null;
      } catch (e) {
        return null;
      }
    }
    return null;
  }

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || typeof data !== 'object' || typeof data.type !== 'string' || data.type.indexOf(PREFIX) !== 0) return;
    var frame = frameOf(event);
    if (!frame) return;
    var type = data.type.slice(PREFIX.length);
    if (type === 'height') {
      var height = Number(data.height);
      if (!isFinite(height) || height <= 0 || height > MAX_HEIGHT) return;
      frame.style.height = Math.ceil(height) + 'px';
      frame.setAttribute('data-sae-explorer-height', String(Math.ceil(height)));
    } else if (type === 'ready') {
      frame.setAttribute('data-sae-explorer-ready', '');
    } else if ((type === 'activations' || type === 'error') && data.id != null && pending[data.id]) {
      var p = pending[data.id];
      delete pending[data.id];
      if (type === 'error') p.reject(new Error(String(data.message)));
      else p.resolve(data);
    }
  });

  function targetOrigin(frame) {
    return new URL(frame.src, document.baseURI).origin;
  }

  window.SAEExplorer = {
    /** Sends a message to the view in `frame`, e.g. send(frame, 'set-text', { text: 'Hello' }). */
    send: function (frame, type, fields) {
      var message = Object.assign({}, fields || {}, { type: PREFIX + type });
      frame.contentWindow.postMessage(message, targetOrigin(frame));
    },
    /** Sends a message that has a reply ('get-activations') and resolves with the reply. */
    request: function (frame, type, fields) {
      var id = 'host-' + nextId++;
      return new Promise(function (resolve, reject) {
        pending[id] = { resolve: resolve, reject: reject };
        window.SAEExplorer.send(frame, type, Object.assign({}, fields || {}, { id: id }));
      });
    },
  };
})();
