/*
 * OneGrid photo shrinking, shared by the grid worker's and the citizen's phone pages.
 *
 *   OneGridPhoto.shrink(file, options) -> Promise<Blob>
 *     file     a File or Blob holding an image the browser can decode (a camera's JPEG, PNG, HEIC where supported)
 *     options  { maxSide: 1600, maxBytes: 512000 } (both optional)
 *     resolves a JPEG Blob whose longer side is at most maxSide pixels and whose size is at most
 *     maxBytes; rejects with an Error when the file is no image the browser can read.
 *
 *   OneGridPhoto.limits -> { maxSide, maxBytes }, the defaults.
 *
 * Why: a phone camera's photo is 3–8 MB, which over a village's weak signal takes minutes and
 * often fails; 1600 px keeps every detail a case needs (a crack, a number plate, a sign).
 * The quality steps down first, then the size, so a noisy photo still fits the byte limit.
 * A classic script (no module): load it with <script src> and it sets `OneGridPhoto` on the page.
 */
(function (root) {
  'use strict';

  var limits = { maxSide: 1600, maxBytes: 500 * 1024 };
  var qualities = [0.85, 0.75, 0.65, 0.55, 0.45];

  function decode(file) {
    // createImageBitmap turns the photo upright from its EXIF orientation and decodes off the main thread.
    if (root.createImageBitmap) {
      return root.createImageBitmap(file, { imageOrientation: 'from-image' }).catch(function () { return viaElement(file); });
    }
    return viaElement(file);
  }

  function viaElement(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var image = new Image();
      image.onload = function () { URL.revokeObjectURL(url); resolve(image); };
      image.onerror = function () { URL.revokeObjectURL(url); reject(new Error('not an image this browser can read')); };
      image.src = url;
    });
  }

  function encode(image, width, height, quality) {
    var canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext('2d');
    // JPEG has no transparency: a PNG's clear parts become white, not black.
    context.fillStyle = '#fff';
    context.fillRect(0, 0, width, height);
    context.drawImage(image, 0, 0, width, height);
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) {
        canvas.width = canvas.height = 0; // frees the pixels at once on phones short of memory
        if (blob) { resolve(blob); } else { reject(new Error('the photo could not be encoded')); }
      }, 'image/jpeg', quality);
    });
  }

  function shrink(file, options) {
    var maxSide = (options && options.maxSide) || limits.maxSide;
    var maxBytes = (options && options.maxBytes) || limits.maxBytes;
    return decode(file).then(function (image) {
      var width = image.width, height = image.height;
      if (!width || !height) { throw new Error('the photo has no size'); }
      var scale = Math.min(1, maxSide / Math.max(width, height));
      function attempt(scale, step) {
        var w = Math.max(1, Math.round(width * scale)), h = Math.max(1, Math.round(height * scale));
        return encode(image, w, h, qualities[step]).then(function (blob) {
          if (blob.size <= maxBytes) { return blob; }
          if (step + 1 < qualities.length) { return attempt(scale, step + 1); }
          // Still too large at the lowest quality: a smaller picture, from the top quality again.
          return attempt(scale * 0.75, 1);
        });
      }
      return attempt(scale, 0).then(function (blob) {
        if (image.close) { image.close(); }
        return blob;
      });
    });
  }

  root.OneGridPhoto = { shrink: shrink, limits: limits };
})(self);
