// After django-otp-webauthn's script registers a passkey, go on to the page named by the button
// (the factor list, where recovery codes are issued next). An external file: the CSP allows no inline script.
document.addEventListener("otp_webauthn.register_complete", function (event) {
  var button = document.getElementById("passkey-register-button");
  if (button && button.dataset.successUrl) {
    window.location.assign(button.dataset.successUrl);
  }
});
