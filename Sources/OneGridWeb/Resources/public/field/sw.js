/*
 * The phone app's service worker (scope /field: the home page and everything under it). The server writes the shell's versioned URLs
 * above this line as self.ONEGRID_SHELL, so each deploy is a new worker with a new cache.
 *
 * Pages: network first, the last copy kept for when there is no signal. Versioned assets: from
 * the cache first (their URL changes with their content). POSTs are never touched: the outbox
 * sends them itself, and only when the page knows it is online.
 */
'use strict';

var SHELL = self.ONEGRID_SHELL || [];
var CACHE = 'onegrid-field-' + SHELL.join('|').split('').reduce(function (hash, c) {
  return (hash * 31 + c.charCodeAt(0)) >>> 0;
}, 7).toString(36);

// Only whole pages of this worker are kept: never a redirect to the sign-in page or an error.
function keep(cache, request, response) {
  if (response && response.ok && !response.redirected && response.type === 'basic') {
    return cache.put(request, response.clone()).then(function () { return response; });
  }
  return Promise.resolve(response);
}

function fetchAndKeep(cache, url) {
  return fetch(url, { credentials: 'same-origin', redirect: 'follow' }).then(function (response) {
    return keep(cache, url, response);
  })['catch'](function () {});
}

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(SHELL.map(function (url) { return fetchAndKeep(cache, url); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf('onegrid-field-') === 0 && name !== CACHE; })
      .map(function (name) { return caches['delete'](name); }));
  }).then(function () { return self.clients.claim(); }));
});

// The home page names the verification pages of its cases: kept now, opened later without signal.
self.addEventListener('message', function (event) {
  var urls = (event.data && event.data.keep) || [];
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.filter(function (url) { return url.indexOf('/field/') === 0; })
      .map(function (url) { return fetchAndKeep(cache, url); }));
  }));
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf('/assets/') === 0) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        return caches.open(CACHE).then(function (cache) { return keep(cache, request, response); });
      });
    }));
    return;
  }
  // What the outbox and the form ask the server (the session, proposals) is never answered from a copy.
  if (url.pathname === '/field/session' || url.pathname === '/field/proposals' || url.pathname === '/field/sw.js') { return; }
  if (url.pathname === '/field' || url.pathname.indexOf('/field/') === 0) {
    var page = url.origin + url.pathname;
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected && response.type === 'basic') {
        var copy = response.clone();
        // Awaited by the worker: the browser may stop a worker whose answer is out, and a page
        // it was still keeping would then be missing offline.
        event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(page, copy); }));
      }
      return response;
    }, function () {
      return caches.match(page).then(function (hit) { return hit || caches.match(url.origin + '/field/outbox'); });
    }));
  }
});
