"""Staff security: the second factor (django-otp: passkeys, TOTP, recovery codes), the admin network rule,
the staff session policy and the password strength rule. Part of the kit: it imports no app."""
