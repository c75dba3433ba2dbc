/*
 * The grid worker's phone app: the outbox (IndexedDB), the report, verification and visit forms that
 * fill it, and the sender that empties it once the network and the session allow.
 *
 * A report, verification or visit is written to the phone first, with an Idempotency-Key made at that
 * moment, and only then sent; the server takes a key once, so an item sent again after a lost
 * answer, a closed page or a crash is still one case, one step. A refused item stays with its
 * reason until the worker deletes it; a sent one stays with its case number for a week (or until
 * deleted), so the outbox does not grow for good. A session that ended keeps every item waiting
 * and asks to sign in. A screening round is not kept here: it carries no key the server could
 * know a second send by, so its form waits for signal and says so.
 */
(function () {
  'use strict';

  var body = document.body;
  var words = JSON.parse(document.getElementById('field-strings').textContent || '{}');
  var DB_NAME = 'onegrid-field', STORE = 'outbox';
  // Two minutes: three photos of 500 KB take about a minute at 64 kbit/s.
  var SEND_TIMEOUT = 120000;

  function say(key, values) {
    var text = words[key] || key;
    for (var name in values || {}) { text = text.replace('{' + name + '}', values[name]); }
    return text;
  }

  // ---- The outbox in IndexedDB ---------------------------------------------------------

  var opening = null;
  function db() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: 'key' }); };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opening;
  }

  function transact(mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var tx = database.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function allItems() {
    return transact('readonly', function (store) { return store.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return b.createdAt - a.createdAt; });
    });
  }
  function putItem(item) { return transact('readwrite', function (store) { store.put(item); }); }
  function deleteItem(key) { return transact('readwrite', function (store) { store['delete'](key); }); }
  function update(key, change) {
    return transact('readwrite', function (store) {
      var request = store.get(key);
      request.onsuccess = function () {
        if (request.result) { store.put(Object.assign(request.result, change)); }
      };
    });
  }

  // A key no other phone makes: 128 random bits (crypto.randomUUID needs a secure context).
  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return 'field-' + Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  // ---- Sending ----------------------------------------------------------------------------

  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) { return Promise.resolve(); }
    flushing = true;
    // One tab sends at a time; the Idempotency-Key would keep two from making two cases anyway.
    var run = function () { return sendAll().then(done, done); };
    var done = function () { flushing = false; refresh(); };
    if (navigator.locks && navigator.locks.request) { return navigator.locks.request('onegrid-outbox', run); }
    return run();
  }

  function sendAll() {
    return allItems().then(function (items) {
      var due = items.filter(function (item) { return item.state === 'waiting' || item.state === 'sending' || item.state === 'signin'; });
      if (!due.length) { return; }
      // The session first: signed out, every item keeps waiting, and the outbox asks to sign in.
      return fetch(body.dataset.session, { credentials: 'same-origin', redirect: 'manual', cache: 'no-store' }).then(function (response) {
        if (response.type === 'opaqueredirect' || response.status === 401 || response.status === 403) {
          return Promise.all(due.map(function (item) { return update(item.key, { state: 'signin' }); }));
        }
        if (!response.ok) { return; }
        return response.json().then(function (session) {
          return due.reduce(function (chain, item) {
            return chain.then(function () { return sendOne(item, session.formToken); });
          }, Promise.resolve());
        });
      }, function () { /* no network after all: try again later */ });
    });
  }

  function sendOne(item, formToken) {
    return update(item.key, { state: 'sending' }).then(function () {
      var form = new FormData();
      item.fields.forEach(function (pair) { form.append(pair[0], pair[1]); });
      form.append('_csrf', formToken);
      form.append('key', item.key);
      item.files.forEach(function (file) { form.append(file.field, file.blob, file.name); });
      // A send that hangs (a signal that comes and goes) is given up and tried again later;
      // the key makes the retry safe even if the first one got through.
      var abort = window.AbortController ? new AbortController() : null;
      if (abort) { setTimeout(function () { abort.abort(); }, SEND_TIMEOUT); }
      return fetch(item.url, {
        method: 'POST', body: form, credentials: 'same-origin', redirect: 'manual', signal: abort && abort.signal,
        headers: { 'Idempotency-Key': item.key, 'Accept': 'application/json' }
      });
    }).then(function (response) {
      if (response.type === 'opaqueredirect') { return update(item.key, { state: 'signin' }); }
      var json = (response.headers.get('Content-Type') || '').indexOf('json') >= 0;
      if (!json) {
        // A refused form token or a sign-in page: the session, not the item, is at fault.
        return update(item.key, { state: response.status === 403 ? 'signin' : 'waiting' });
      }
      return response.json().then(function (answer) {
        // A visit that made no case is sent without a case number.
        if (response.ok) { return update(item.key, { state: 'sent', caseID: answer.id, number: answer.number, sentAt: Date.now() }); }
        if (response.status >= 500 || response.status === 429) { return update(item.key, { state: 'waiting' }); }
        var error = answer.error || {};
        return update(item.key, { state: 'refused', reason: error.message || String(response.status), field: error.field || '' });
      });
    }, function () {
      return update(item.key, { state: 'waiting' });
    });
  }

  // ---- What the pages show ----------------------------------------------------------------

  var SENT_KEPT = 7 * 24 * 3600 * 1000;

  function refresh() {
    allItems().then(function (items) {
      var old = items.filter(function (item) { return item.state === 'sent' && item.sentAt < Date.now() - SENT_KEPT; });
      if (old.length) {
        return Promise.all(old.map(function (item) { return deleteItem(item.key); })).then(allItems);
      }
      return items;
    }).then(function (items) {
      var unsent = items.filter(function (item) { return item.state !== 'sent'; }).length;
      var count = document.getElementById('outbox-count');
      if (count) { count.textContent = unsent; count.hidden = unsent === 0; }
      var list = document.getElementById('outbox-list');
      if (!list) { return; }
      document.getElementById('outbox-empty').hidden = items.length > 0;
      document.getElementById('signin-needed').hidden = !items.some(function (item) { return item.state === 'signin'; });
      list.textContent = '';
      items.forEach(function (item) { list.appendChild(row(item)); });
    })['catch'](function () {});
  }

  // 2026-11-30 09:15, as the pages write times.
  function stamp(date) {
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return date.getFullYear() + '-' + two(date.getMonth() + 1) + '-' + two(date.getDate()) + ' ' + two(date.getHours()) + ':' + two(date.getMinutes());
  }

  function row(item) {
    var li = document.createElement('li');
    li.dataset.key = item.key;
    li.dataset.state = item.state;
    var what = document.createElement('span');
    what.className = 'what';
    what.textContent = say(item.kind) + ' · ' + item.title;
    var state = document.createElement('span');
    state.className = 'state state-' + item.state;
    state.textContent = say(item.state);
    var when = document.createElement('span');
    when.className = 'when';
    when.textContent = stamp(new Date(item.createdAt)) +
      (item.files.length ? ' · ' + say('photos', { n: item.files.filter(function (f) { return f.field !== 'voice'; }).length }) : '');
    li.appendChild(what);
    li.appendChild(state);
    li.appendChild(when);
    if (item.state === 'sent' || item.state === 'refused') {
      var detail = document.createElement('span');
      detail.className = 'detail';
      if (item.state === 'sent' && !item.caseID) {
        detail.textContent = say('visitLogged');
      } else if (item.state === 'sent') {
        var link = document.createElement('a');
        link.href = '/cases/' + item.caseID;
        link.className = 'number';
        link.textContent = say('caseNumber', { number: item.number });
        detail.appendChild(link);
      } else {
        detail.textContent = item.reason;
      }
      li.appendChild(detail);
      var remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'link';
      remove.textContent = say('delete');
      remove.addEventListener('click', function () { deleteItem(item.key).then(refresh); });
      li.appendChild(remove);
    }
    return li;
  }

  // ---- Photos, the place, the category, a voice note ----------------------------------------

  // Photos are shrunk as soon as they are taken, so the form holds small JPEGs, not the camera's megabytes.
  var chosen = {};
  function setUpPhotos(input) {
    var list = document.getElementById(input.id + '-thumbs');
    chosen[input.name] = chosen[input.name] || [];
    input.addEventListener('change', function () {
      var files = Array.prototype.slice.call(input.files || []);
      input.value = '';
      files.reduce(function (chain, file) {
        return chain.then(function () {
          var shrink = window.OneGridPhoto ? OneGridPhoto.shrink(file) : Promise.resolve(file);
          return shrink.then(function (blob) {
            var photo = { field: input.name, name: (file.name || 'photo').replace(/\.[^.]*$/, '') + '.jpg', blob: blob };
            chosen[input.name].push(photo);
            list.appendChild(thumb(photo, input.name));
          }, function () { alert(say('photoFailed')); });
        });
      }, Promise.resolve());
    });
  }

  function thumb(photo, field) {
    var li = document.createElement('li');
    var image = document.createElement('img');
    image.src = URL.createObjectURL(photo.blob);
    image.alt = '';
    var size = document.createElement('span');
    size.className = 'size';
    size.textContent = Math.round(photo.blob.size / 1024) + ' KB';
    var remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = '×';
    remove.setAttribute('aria-label', say('removePhoto'));
    remove.addEventListener('click', function () {
      chosen[field] = chosen[field].filter(function (p) { return p !== photo; });
      li.remove();
    });
    li.appendChild(image);
    li.appendChild(remove);
    li.appendChild(size);
    return li;
  }

  function setUpPlace(form) {
    var svg = document.getElementById('place-map');
    if (!svg || !window.OneGridPlace) { return; }
    var shapes = JSON.parse(svg.dataset.shapes || '[]');
    var state = document.getElementById('place-state');
    var lat = form.querySelector('#lat'), lng = form.querySelector('#lng');
    if (!shapes.length) { svg.hidden = true; }
    var own = shapes.findIndex(function (shape) { return shape.own; });
    function placed(point, index) {
      lat.value = point.lat.toFixed(6);
      lng.value = point.lng.toFixed(6);
      state.textContent = index === own ? say('inGrid') : say('outsideGrid');
    }
    var map = shapes.length ? OneGridPlace.map(svg, { shapes: shapes, point: null, onMove: placed }) : null;
    function locate() {
      state.textContent = say('locating');
      OneGridPlace.locate().then(function (point) {
        if (map) { map.setPoint(point); } else { placed(point, own); }
      }, function () { state.textContent = say('noPosition'); });
    }
    document.getElementById('locate').addEventListener('click', locate);
    locate();
  }

  function setUpProposals(form) {
    var box = document.getElementById('proposals');
    var select = form.querySelector('#category');
    var timer = null;
    function propose() {
      var text = (form.querySelector('#title').value + ' ' + form.querySelector('#description').value).trim();
      if (!text || !navigator.onLine) { box.textContent = ''; return; }
      fetch(form.dataset.proposals + '?text=' + encodeURIComponent(text), { credentials: 'same-origin', redirect: 'manual' })
        .then(function (response) { return response.ok ? response.json() : { proposals: [] }; })
        .then(function (answer) {
          box.textContent = '';
          (answer.proposals || []).slice(0, 3).forEach(function (proposal) {
            var button = document.createElement('button');
            button.type = 'button';
            button.textContent = proposal.name + ' ' + Math.round(proposal.confidence * 100) + '%';
            button.setAttribute('aria-pressed', String(select.value === String(proposal.id)));
            button.addEventListener('click', function () {
              select.value = String(proposal.id);
              select.dispatchEvent(new Event('change'));
              Array.prototype.forEach.call(box.children, function (b) { b.setAttribute('aria-pressed', String(b === button)); });
            });
            box.appendChild(button);
          });
        }, function () {});
    }
    ['#title', '#description'].forEach(function (selector) {
      form.querySelector(selector).addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(propose, 400); });
    });
  }

  function setUpSolve(form) {
    var select = form.querySelector('#category');
    var solvable = JSON.parse(select.dataset.solvable || '[]').map(String);
    var box = document.getElementById('solve'), check = document.getElementById('solved-check');
    var fields = document.getElementById('solved-fields');
    function show() {
      box.hidden = solvable.indexOf(select.value) < 0;
      if (box.hidden) { check.checked = false; }
      fields.hidden = !check.checked;
    }
    select.addEventListener('change', show);
    check.addEventListener('change', show);
    show();
  }

  var voice = null;
  function setUpVoice() {
    var box = document.getElementById('voice');
    if (!box || !window.MediaRecorder || !navigator.mediaDevices) { return; }
    box.hidden = false;
    var button = document.getElementById('record'), player = document.getElementById('voice-play');
    var recorder = null, parts = [];
    var type = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4'].filter(function (t) {
      return MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(t);
    })[0];
    button.addEventListener('click', function () {
      if (recorder && recorder.state === 'recording') { recorder.stop(); return; }
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        parts = [];
        recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
        recorder.ondataavailable = function (event) { parts.push(event.data); };
        recorder.onstop = function () {
          stream.getTracks().forEach(function (track) { track.stop(); });
          var blob = new Blob(parts, { type: recorder.mimeType });
          var extension = /ogg/.test(blob.type) ? 'ogg' : /mp4/.test(blob.type) ? 'm4a' : 'webm';
          voice = { field: 'voice', name: 'voice.' + extension, blob: blob };
          player.src = URL.createObjectURL(blob);
          player.hidden = false;
          button.textContent = say('record');
        };
        recorder.start();
        button.textContent = say('stop');
        // A short note: a minute at most.
        setTimeout(function () { if (recorder.state === 'recording') { recorder.stop(); } }, 60000);
      }, function () { box.hidden = true; });
    });
  }

  // ---- The forms write to the outbox ----------------------------------------------------

  function error(id, text) {
    var element = document.getElementById(id);
    if (!element) { return false; }
    element.textContent = text || '';
    element.hidden = !text;
    return !!text;
  }

  function setUpForm(form) {
    var kind = form.dataset.outboxKind;
    Array.prototype.forEach.call(form.querySelectorAll('input[data-shrink]'), setUpPhotos);
    if (kind === 'report') {
      setUpPlace(form);
      setUpProposals(form);
      setUpSolve(form);
      setUpVoice();
    }
    // A hint goes as soon as its field is filled in, not at the next send.
    var clear = function (event) { if (event.target.id) { error(event.target.id + '-error', ''); } };
    form.addEventListener('input', clear);
    form.addEventListener('change', clear);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var missing = false;
      if (kind === 'report') {
        missing = error('title-error', data.get('title').trim() ? '' : say('needTitle')) | missing;
        missing = error('category-error', data.get('category') ? '' : say('needCategory')) | missing;
        var solving = document.getElementById('solved-check').checked;
        missing = error('solved-error', !solving || data.get('solved').trim() ? '' : say('needSolvedNote')) | missing;
        if (!solving) { data['delete']('solved'); }
      } else if (kind === 'visit') {
        missing = error('whom-error', data.get('whom').trim() ? '' : say('needWhom')) | missing;
        missing = error('findings-error', data.get('findings').trim() ? '' : say('needFindings')) | missing;
        var turning = document.getElementById('turn-check').checked;
        missing = error('title-error', !turning || data.get('title').trim() ? '' : say('needTitle')) | missing;
        missing = error('category-error', !turning || data.get('category') ? '' : say('needCategory')) | missing;
      } else {
        missing = error('result-error', data.get('result') ? '' : say('needResult')) | missing;
      }
      if (missing) { return; }
      var fields = [];
      data.forEach(function (value, name) {
        if (typeof value === 'string' && name !== '_csrf' && value !== '') { fields.push([name, value]); }
      });
      var files = [];
      Object.keys(chosen).forEach(function (field) {
        if (field === 'after' && !(document.getElementById('solved-check') || {}).checked) { return; }
        files = files.concat(chosen[field]);
      });
      if (voice && kind === 'report') { files.push(voice); }
      var item = {
        key: newKey(), kind: kind, url: form.action, state: 'waiting', createdAt: Date.now(),
        title: kind === 'report' ? data.get('title').trim() : form.dataset.title, fields: fields, files: files
      };
      putItem(item).then(function () {
        location.href = body.dataset.outbox;
      }, function () { alert(say('saveFailed')); });
    });
  }

  // ---- The app shell -------------------------------------------------------------------------

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register(body.dataset.worker, { scope: '/field' }).then(function () {
      // The home page lists the cases to verify and the visits page the households due: keep their
      // pages for a verification or a visit without signal.
      var links = Array.prototype.map.call(document.querySelectorAll('a[data-cache]'), function (a) { return a.pathname; });
      if (links.length && navigator.onLine) {
        navigator.serviceWorker.ready.then(function (registration) {
          if (registration.active) { registration.active.postMessage({ keep: links }); }
        });
      }
    })['catch'](function () {});
  }

  var signOut = document.querySelector('form[data-signout]');
  if (signOut) {
    // Pages kept for offline use show this worker's cases: they go with the session. The outbox stays.
    signOut.addEventListener('submit', function (event) {
      if (!window.caches) { return; }
      event.preventDefault();
      caches.keys().then(function (names) { return Promise.all(names.map(function (name) { return caches['delete'](name); })); })
        .then(function () { signOut.submit(); }, function () { signOut.submit(); });
    });
  }

  // A form the outbox cannot carry (the screening round) waits for signal: its button is off and
  // its line says why, so nothing typed is lost to a send that cannot go.
  function showOnline() {
    document.getElementById('offline').hidden = navigator.onLine;
    Array.prototype.forEach.call(document.querySelectorAll('form[data-needs-signal]'), function (form) {
      form.querySelector('button[type=submit]').disabled = !navigator.onLine;
      var line = form.querySelector('.needs-signal');
      if (line) { line.classList.toggle('offline-now', !navigator.onLine); }
    });
  }
  window.addEventListener('online', function () { showOnline(); flush(); });
  window.addEventListener('offline', showOnline);
  document.addEventListener('visibilitychange', function () { if (!document.hidden) { flush(); } });
  setInterval(flush, 30000);
  showOnline();

  Array.prototype.forEach.call(document.querySelectorAll('form[data-outbox-kind]'), setUpForm);
  // A visit takes the phone's position as the form opens (also without signal: the position is
  // the phone's own); without one it is recorded as not given.
  var visitLat = document.getElementById('visit-lat');
  if (visitLat && window.OneGridPlace) {
    OneGridPlace.locate().then(function (point) {
      visitLat.value = point.lat.toFixed(6);
      document.getElementById('visit-lng').value = point.lng.toFixed(6);
    }, function () {});
  }
  window.OneGridOutbox = { flush: flush, items: allItems };
  refresh();
  flush();
})();
