/**
 * The pages' one script, served from our origin (`script-src 'self'`, nothing inline). Every page
 * works without it; it only adds what needs a browser: a show-password button, the Caps Lock
 * hint, local and relative times, a dialog before Revoke and "Sign out everywhere" (without it
 * the server asks on a page of its own), and focus on the element an address's #fragment names.
 */
export const SCRIPT = `(function () {
  'use strict';

  function revealPassword(input) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary';
    button.textContent = 'Show';
    button.setAttribute('aria-pressed', 'false');
    button.setAttribute('aria-controls', input.id);
    button.setAttribute('aria-label', 'Show password');
    button.addEventListener('click', function () {
      var shown = input.type === 'password';
      input.type = shown ? 'text' : 'password';
      button.setAttribute('aria-pressed', String(shown));
      button.textContent = shown ? 'Hide' : 'Show';
    });
    input.parentNode.appendChild(button);
  }

  function capsLockHint(input) {
    var hint = document.getElementById(input.getAttribute('data-caps-hint'));
    if (!hint) return;
    function check(event) {
      if (typeof event.getModifierState === 'function') hint.hidden = !event.getModifierState('CapsLock');
    }
    input.addEventListener('keydown', check);
    input.addEventListener('keyup', check);
    input.addEventListener('blur', function () { hint.hidden = true; });
  }

  function notYou(link) {
    link.addEventListener('click', function (event) {
      var field = document.getElementById(link.getAttribute('data-not-you'));
      if (!field) return;
      event.preventDefault();
      field.value = '';
      field.readOnly = false;
      var note = link.closest('.remembered');
      if (note) note.hidden = true;
      field.focus();
    });
  }

  var UNITS = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60]];
  function relative(ms) {
    var seconds = Math.round((ms - Date.now()) / 1000);
    var format = typeof Intl !== 'undefined' && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }) : null;
    for (var i = 0; i < UNITS.length; i++) {
      var size = UNITS[i][1];
      if (Math.abs(seconds) >= size) {
        var count = Math.round(seconds / size);
        return format ? format.format(count, UNITS[i][0]) : Math.abs(count) + ' ' + UNITS[i][0] + (Math.abs(count) === 1 ? '' : 's') + (count < 0 ? ' ago' : ' from now');
      }
    }
    return seconds < 0 ? 'just now' : 'in less than a minute';
  }
  function localTime(element) {
    var ms = Date.parse(element.getAttribute('datetime'));
    if (isNaN(ms)) return;
    element.title = new Date(ms).toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'short' });
    element.textContent = relative(ms);
  }

  function confirmFirst(form) {
    form.addEventListener('submit', function (event) {
      if (form.querySelector('input[name=confirm]')) return;
      if (!window.confirm(form.getAttribute('data-confirm'))) {
        event.preventDefault();
        return;
      }
      var confirm = document.createElement('input');
      confirm.type = 'hidden';
      confirm.name = 'confirm';
      confirm.value = 'yes';
      form.appendChild(confirm);
    });
  }

  function each(selector, action) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), action);
  }

  function start() {
    each('input[data-reveal]', revealPassword);
    each('input[data-caps-hint]', capsLockHint);
    each('a[data-not-you]', notYou);
    each('time[data-relative]', localTime);
    each('form[data-confirm]', confirmFirst);
    var target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (target && document.activeElement !== target) target.focus();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
`;
