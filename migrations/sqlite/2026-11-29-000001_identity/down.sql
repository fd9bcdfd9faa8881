DROP TABLE app_secrets;
DROP TABLE rate_limits;
DROP TABLE one_time_tokens;
DROP TABLE refresh_tokens;
DROP TABLE user_roles;
DROP TABLE users;
DROP TABLE institutions;
