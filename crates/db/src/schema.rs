// The schema shared by both backends; kept by hand in step with `migrations/`.

diesel::table! {
    institutions (id) {
        id -> BigInt,
        name -> Text,
        acronym -> Text,
        country -> Text,
        membership_category -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        full_name -> Text,
        password_hash -> Text,
        locale -> Text,
        institution_id -> Nullable<BigInt>,
        status -> Text,
        email_verified_at -> Nullable<Timestamp>,
        token_version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    user_roles (user_id, role) {
        user_id -> BigInt,
        role -> Text,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        family -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    one_time_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rate_limits (bucket) {
        bucket -> Text,
        window_started_at -> Timestamp,
        hits -> Integer,
    }
}

diesel::table! {
    app_secrets (name) {
        name -> Text,
        value -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> BigInt,
        recipient -> Text,
        locale -> Text,
        template -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(users -> institutions (institution_id));
diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(one_time_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    institutions,
    users,
    user_roles,
    refresh_tokens,
    one_time_tokens,
    rate_limits,
    app_secrets,
    mail_outbox,
);
