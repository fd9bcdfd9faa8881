-- wrk script: POST a sign-in with the bench account.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"student@demo.test","password":"aula-demo-2026"}'
