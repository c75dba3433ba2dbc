/*
 * OneGrid place picking on a phone, shared by the grid worker's and the citizen's pages: the
 * phone's position, and a small SVG map drawn from grid polygons (no tile server, no outside
 * map service) on which the person may move the point by tapping or with the arrow keys.
 *
 *   OneGridPlace.locate(options) -> Promise<{lat, lng, accuracy}>
 *     options  { timeout: 15000, maximumAge: 60000 } (optional)
 *     rejects with an Error whose .code is 'unsupported', 'denied', 'unavailable' or 'timeout'.
 *
 *   OneGridPlace.contains(ring, point) -> boolean
 *     ring [{lat, lng}, ...] (a polygon, as GET /api/v1 and the pages give GeoPoints); even-odd,
 *     as the server places points.
 *
 *   OneGridPlace.map(svg, options) -> { point(), setPoint(point), shape() }
 *     svg      an empty <svg> element; it is given a viewBox and drawn into, and made focusable.
 *     options  { shapes: [{ring, label, own}], point: {lat, lng} | null,
 *                onMove: function (point, shapeIndex) {}, width: 320, height }
 *              height: by default what the shapes need at that width, between 120 and 320.
 *     A tap (or click) places the point; arrow keys nudge it. onMove gets the new point and the
 *     index of the shape it lies in (-1 outside all). shape() is that index for the current point.
 *
 * A classic script (no module): load it with <script src> and it sets `OneGridPlace`.
 */
(function (root) {
  'use strict';

  var NS = 'http://www.w3.org/2000/svg';

  function locate(options) {
    var timeout = (options && options.timeout) || 15000;
    var maximumAge = (options && options.maximumAge) || 60000;
    return new Promise(function (resolve, reject) {
      if (!root.navigator || !navigator.geolocation) {
        var missing = new Error('this browser gives no position');
        missing.code = 'unsupported';
        reject(missing);
        return;
      }
      navigator.geolocation.getCurrentPosition(function (position) {
        resolve({ lat: position.coords.latitude, lng: position.coords.longitude, accuracy: position.coords.accuracy });
      }, function (failure) {
        var error = new Error(failure.message || 'no position');
        error.code = failure.code === 1 ? 'denied' : failure.code === 3 ? 'timeout' : 'unavailable';
        reject(error);
      }, { enableHighAccuracy: true, timeout: timeout, maximumAge: maximumAge });
    });
  }

  function contains(ring, point) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var a = ring[i], b = ring[j];
      if ((a.lat > point.lat) !== (b.lat > point.lat) &&
          point.lng < (b.lng - a.lng) * (point.lat - a.lat) / (b.lat - a.lat) + a.lng) {
        inside = !inside;
      }
    }
    return inside;
  }

  function element(name, attributes) {
    var node = document.createElementNS(NS, name);
    for (var key in attributes) { node.setAttribute(key, attributes[key]); }
    return node;
  }

  function map(svg, options) {
    var shapes = options.shapes || [];
    var width = options.width || 320, pad = 8;
    var onMove = options.onMove || function () {};
    var all = [];
    shapes.forEach(function (shape) { all = all.concat(shape.ring); });
    if (options.point) { all.push(options.point); }
    if (!all.length) { throw new Error('a map needs a shape or a point'); }
    var minLat = Math.min.apply(null, all.map(function (p) { return p.lat; }));
    var maxLat = Math.max.apply(null, all.map(function (p) { return p.lat; }));
    var minLng = Math.min.apply(null, all.map(function (p) { return p.lng; }));
    var maxLng = Math.max.apply(null, all.map(function (p) { return p.lng; }));
    // Longitude scaled by the latitude, as the server's maps do, so shapes are not stretched.
    var scale = Math.cos((minLat + maxLat) / 2 * Math.PI / 180);
    var spanX = Math.max((maxLng - minLng) * scale, 1e-9), spanY = Math.max(maxLat - minLat, 1e-9);
    // A strip of grids gets a low map, not a tall box of empty land.
    var height = options.height || Math.round(Math.min(320, Math.max(120, (width - 2 * pad) * spanY / spanX + 2 * pad)));
    var unit = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
    var offsetX = (width - spanX * unit) / 2, offsetY = (height - spanY * unit) / 2;
    function project(p) { return [offsetX + (p.lng - minLng) * scale * unit, offsetY + (maxLat - p.lat) * unit]; }
    function unproject(x, y) { return { lat: maxLat - (y - offsetY) / unit, lng: minLng + (x - offsetX) / (scale * unit) }; }

    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    if (!svg.hasAttribute('tabindex')) { svg.setAttribute('tabindex', '0'); }
    // The own grid is drawn last, so its outline lies over its neighbours'.
    shapes.map(function (shape, index) { return [shape, index]; })
      .sort(function (a, b) { return (a[0].own ? 1 : 0) - (b[0].own ? 1 : 0); })
      .forEach(function (pair) {
        var shape = pair[0];
        svg.appendChild(element('polygon', {
          points: shape.ring.map(function (p) { var xy = project(p); return xy[0].toFixed(1) + ',' + xy[1].toFixed(1); }).join(' '),
          'class': shape.own ? 'place-own' : 'place-other'
        }));
        if (shape.label) {
          var top = project({ lat: Math.max.apply(null, shape.ring.map(function (p) { return p.lat; })),
            lng: shape.ring.reduce(function (s, p) { return s + p.lng; }, 0) / shape.ring.length });
          var text = element('text', { x: top[0].toFixed(1), y: (top[1] + 14).toFixed(1), 'class': 'place-label', 'text-anchor': 'middle' });
          text.textContent = shape.label;
          svg.appendChild(text);
        }
      });
    var marker = element('g', { 'class': 'place-point' });
    marker.appendChild(element('circle', { r: 12, 'class': 'place-halo' }));
    marker.appendChild(element('circle', { r: 5 }));
    svg.appendChild(marker);

    var current = null;
    function shapeOf(point) {
      for (var i = 0; i < shapes.length; i++) { if (contains(shapes[i].ring, point)) { return i; } }
      return -1;
    }
    function setPoint(point, quiet) {
      current = point ? { lat: point.lat, lng: point.lng } : null;
      marker.style.display = current ? '' : 'none';
      if (current) {
        var xy = project(current);
        marker.setAttribute('transform', 'translate(' + xy[0].toFixed(1) + ',' + xy[1].toFixed(1) + ')');
      }
      if (!quiet && current) { onMove(current, shapeOf(current)); }
    }
    svg.addEventListener('click', function (event) {
      var box = svg.getBoundingClientRect();
      if (!box.width || !box.height) { return; }
      // The viewBox keeps its aspect (meet): find the drawn area inside the element's box.
      var fit = Math.min(box.width / width, box.height / height);
      var x = (event.clientX - box.left - (box.width - width * fit) / 2) / fit;
      var y = (event.clientY - box.top - (box.height - height * fit) / 2) / fit;
      setPoint(unproject(x, y));
    });
    svg.addEventListener('keydown', function (event) {
      var step = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] }[event.key];
      if (!step) { return; }
      event.preventDefault();
      var xy = current ? project(current) : [width / 2, height / 2];
      setPoint(unproject(xy[0] + step[0] * width / 50, xy[1] + step[1] * height / 50));
    });
    setPoint(options.point || null, true);
    return {
      point: function () { return current && { lat: current.lat, lng: current.lng }; },
      setPoint: function (point) { setPoint(point, false); },
      shape: function () { return current ? shapeOf(current) : -1; }
    };
  }

  root.OneGridPlace = { locate: locate, contains: contains, map: map };
})(self);
