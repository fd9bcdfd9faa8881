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
        time_zone -> Nullable<Text>,
        mail_enrolment_updates -> Bool,
        mail_endorsement_requests -> Bool,
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

diesel::table! {
    topics (id) {
        id -> BigInt,
        slug -> Text,
        name_es -> Text,
        name_en -> Text,
        name_pt -> Text,
        name_fr -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    courses (id) {
        id -> BigInt,
        code -> Text,
        topic_id -> BigInt,
        programme_type -> Text,
        modality -> Text,
        level -> Text,
        hours -> Integer,
        primary_language -> Text,
        status -> Text,
        search_text -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        review_requested_at -> Nullable<Timestamp>,
        review_note -> Nullable<Text>,
    }
}

diesel::table! {
    course_translations (course_id, locale) {
        course_id -> BigInt,
        locale -> Text,
        title -> Text,
        summary -> Text,
        description_md -> Text,
        learning_outcomes -> Text,
    }
}

diesel::table! {
    course_languages (course_id, locale) {
        course_id -> BigInt,
        locale -> Text,
    }
}

diesel::table! {
    course_prerequisites (course_id, prerequisite_id) {
        course_id -> BigInt,
        prerequisite_id -> BigInt,
    }
}

diesel::table! {
    course_instructors (course_id, user_id) {
        course_id -> BigInt,
        user_id -> BigInt,
    }
}

diesel::table! {
    catalog_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    offerings (id) {
        id -> BigInt,
        course_id -> BigInt,
        start_date -> Text,
        end_date -> Text,
        enrolment_opens_at -> Timestamp,
        enrolment_closes_at -> Timestamp,
        time_zone -> Text,
        capacity -> Integer,
        seats_taken -> Integer,
        admission_policy -> Text,
        institution_quota -> Nullable<Integer>,
        fee_member -> BigInt,
        fee_non_member -> BigInt,
        currency -> Text,
        venue -> Nullable<Text>,
        online_link -> Nullable<Text>,
        attendance_threshold -> Integer,
        pass_mark -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        payment_required -> Bool,
    }
}

diesel::table! {
    offering_sessions (id) {
        id -> BigInt,
        offering_id -> BigInt,
        title -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        place -> Nullable<Text>,
        link -> Nullable<Text>,
    }
}

diesel::table! {
    course_modules (id) {
        id -> BigInt,
        course_id -> BigInt,
        position -> Integer,
        title -> Text,
    }
}

diesel::table! {
    lessons (id) {
        id -> BigInt,
        module_id -> BigInt,
        position -> Integer,
        title -> Text,
        kind -> Text,
        body_md -> Nullable<Text>,
        url -> Nullable<Text>,
        file_key -> Nullable<Text>,
        file_name -> Nullable<Text>,
        file_type -> Nullable<Text>,
        file_size -> Nullable<BigInt>,
        required -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    enrolments (id) {
        id -> BigInt,
        offering_id -> BigInt,
        user_id -> BigInt,
        institution_id -> Nullable<BigInt>,
        state -> Text,
        waitlisted_at -> Nullable<Timestamp>,
        fee -> BigInt,
        currency -> Text,
        payment_status -> Text,
        payment_reference -> Nullable<Text>,
        nominated_by -> Nullable<BigInt>,
        last_activity_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    enrolment_events (id) {
        id -> BigInt,
        enrolment_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        from_state -> Nullable<Text>,
        to_state -> Text,
        reason -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    enrolment_payments (id) {
        id -> BigInt,
        enrolment_id -> BigInt,
        status -> Text,
        reference -> Nullable<Text>,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    enrolment_documents (id) {
        id -> BigInt,
        enrolment_id -> BigInt,
        kind -> Text,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        storage_key -> Text,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    lesson_completions (enrolment_id, lesson_id) {
        enrolment_id -> BigInt,
        lesson_id -> BigInt,
        completed_at -> Timestamp,
    }
}

diesel::table! {
    attendance (session_id, enrolment_id) {
        session_id -> BigInt,
        enrolment_id -> BigInt,
        status -> Text,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    calendar_feeds (user_id) {
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    module_translations (module_id, locale) {
        module_id -> BigInt,
        locale -> Text,
        title -> Text,
    }
}

diesel::table! {
    lesson_translations (lesson_id, locale) {
        lesson_id -> BigInt,
        locale -> Text,
        title -> Text,
        body_md -> Nullable<Text>,
    }
}

diesel::table! {
    session_translations (session_id, locale) {
        session_id -> BigInt,
        locale -> Text,
        title -> Text,
    }
}

diesel::table! {
    assignments (id) {
        id -> BigInt,
        offering_id -> BigInt,
        title -> Text,
        instructions -> Text,
        opens_at -> Nullable<Timestamp>,
        due_at -> Timestamp,
        late_policy -> Text,
        late_penalty_percent -> Integer,
        cutoff_at -> Nullable<Timestamp>,
        max_score -> Integer,
        weight -> Integer,
        missing_work -> Text,
        accepts_text -> Bool,
        accepts_files -> Bool,
        max_files -> Integer,
        max_file_bytes -> BigInt,
        allowed_types -> Text,
        grades_released_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    rubric_criteria (id) {
        id -> BigInt,
        assignment_id -> BigInt,
        position -> Integer,
        title -> Text,
        description -> Text,
    }
}

diesel::table! {
    rubric_levels (id) {
        id -> BigInt,
        criterion_id -> BigInt,
        position -> Integer,
        title -> Text,
        points -> Double,
    }
}

diesel::table! {
    assignment_extensions (assignment_id, enrolment_id) {
        assignment_id -> BigInt,
        enrolment_id -> BigInt,
        due_at -> Timestamp,
        reason -> Text,
        granted_by -> BigInt,
        granted_at -> Timestamp,
    }
}

diesel::table! {
    submissions (id) {
        id -> BigInt,
        assignment_id -> BigInt,
        enrolment_id -> BigInt,
        attempt -> Integer,
        body -> Nullable<Text>,
        submitted_at -> Timestamp,
        late -> Bool,
        penalty_percent -> Integer,
    }
}

diesel::table! {
    submission_files (id) {
        id -> BigInt,
        submission_id -> BigInt,
        position -> Integer,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
    }
}

diesel::table! {
    grades (id) {
        id -> BigInt,
        assignment_id -> BigInt,
        enrolment_id -> BigInt,
        submission_id -> Nullable<BigInt>,
        score -> Double,
        penalty_percent -> Integer,
        feedback -> Text,
        graded_by -> BigInt,
        graded_at -> Timestamp,
    }
}

diesel::table! {
    grade_levels (grade_id, criterion_id) {
        grade_id -> BigInt,
        criterion_id -> BigInt,
        level_id -> BigInt,
    }
}

diesel::table! {
    grade_events (id) {
        id -> BigInt,
        assignment_id -> BigInt,
        enrolment_id -> BigInt,
        submission_id -> Nullable<BigInt>,
        score -> Double,
        penalty_percent -> Integer,
        feedback -> Text,
        levels -> Text,
        reason -> Nullable<Text>,
        actor_id -> BigInt,
        at -> Timestamp,
    }
}

diesel::table! {
    grade_files (id) {
        id -> BigInt,
        assignment_id -> BigInt,
        enrolment_id -> BigInt,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        uploaded_by -> BigInt,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    final_grade_overrides (id) {
        id -> BigInt,
        enrolment_id -> BigInt,
        grade -> Nullable<Double>,
        reason -> Text,
        actor_id -> BigInt,
        at -> Timestamp,
    }
}

diesel::table! {
    questions (id) {
        id -> BigInt,
        course_id -> BigInt,
        kind -> Text,
        points -> Double,
        tags -> Text,
        correct -> Text,
        partial_credit -> Text,
        accent_insensitive -> Bool,
        numeric_answer -> Nullable<Double>,
        numeric_tolerance -> Double,
        archived_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    question_texts (question_id, locale) {
        question_id -> BigInt,
        locale -> Text,
        prompt -> Text,
        explanation -> Text,
    }
}

diesel::table! {
    question_choices (question_id, locale, position) {
        question_id -> BigInt,
        locale -> Text,
        position -> Integer,
        text -> Text,
    }
}

diesel::table! {
    question_answers (question_id, answer) {
        question_id -> BigInt,
        answer -> Text,
    }
}

diesel::table! {
    quizzes (id) {
        id -> BigInt,
        offering_id -> BigInt,
        title -> Text,
        description -> Text,
        opens_at -> Nullable<Timestamp>,
        closes_at -> Timestamp,
        time_limit_minutes -> Nullable<Integer>,
        max_attempts -> Integer,
        scoring -> Text,
        shuffle_choices -> Bool,
        max_score -> Integer,
        weight -> Integer,
        missing_work -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    quiz_parts (id) {
        id -> BigInt,
        quiz_id -> BigInt,
        position -> Integer,
        question_id -> Nullable<BigInt>,
        tag -> Nullable<Text>,
        count -> Integer,
    }
}

diesel::table! {
    quiz_attempts (id) {
        id -> BigInt,
        quiz_id -> BigInt,
        enrolment_id -> BigInt,
        number -> Integer,
        started_at -> Timestamp,
        deadline_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        points -> Nullable<Double>,
        max_points -> Double,
    }
}

diesel::table! {
    attempt_questions (attempt_id, position) {
        attempt_id -> BigInt,
        position -> Integer,
        question_id -> BigInt,
        choice_order -> Text,
        response -> Nullable<Text>,
        answered_at -> Nullable<Timestamp>,
        points -> Nullable<Double>,
        override_points -> Nullable<Double>,
        override_by -> Nullable<BigInt>,
        override_reason -> Nullable<Text>,
    }
}

diesel::table! {
    quiz_extensions (quiz_id, enrolment_id) {
        quiz_id -> BigInt,
        enrolment_id -> BigInt,
        extra_attempts -> Integer,
        closes_at -> Nullable<Timestamp>,
        reason -> Text,
        granted_by -> BigInt,
        granted_at -> Timestamp,
    }
}

diesel::table! {
    jobs (id) {
        id -> BigInt,
        kind -> Text,
        payload -> Text,
        dedupe_key -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        run_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    mail_attachments (id) {
        id -> BigInt,
        outbox_id -> BigInt,
        file_name -> Text,
        content_type -> Text,
        content -> Binary,
    }
}

diesel::table! {
    signatories (id) {
        id -> BigInt,
        name -> Text,
        title -> Text,
        position -> Integer,
        signature -> Nullable<Binary>,
        signature_type -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    certification_settings (offering_id) {
        offering_id -> BigInt,
        auto_issue -> Bool,
        validity_months -> Nullable<Integer>,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    certificates (id) {
        id -> BigInt,
        code -> Text,
        enrolment_id -> BigInt,
        offering_id -> BigInt,
        user_id -> BigInt,
        institution_id -> Nullable<BigInt>,
        kind -> Text,
        version -> Integer,
        status -> Text,
        learner_name -> Text,
        recipient_salt -> Text,
        recipient_hash -> Text,
        course_code -> Text,
        course_title -> Text,
        start_date -> Text,
        end_date -> Text,
        hours -> Integer,
        final_grade -> Nullable<Double>,
        attendance -> Nullable<Integer>,
        locale -> Text,
        signatories -> Text,
        awarded_at -> Timestamp,
        issued_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        issued_by -> Nullable<BigInt>,
        override_reason -> Nullable<Text>,
        supersedes_id -> Nullable<BigInt>,
        status_reason -> Nullable<Text>,
        status_changed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    certificate_documents (certificate_id) {
        certificate_id -> BigInt,
        storage_key -> Text,
        pdf_sha256 -> Text,
        pdf_size -> BigInt,
        badge_jwt -> Text,
        rendered_at -> Timestamp,
    }
}

diesel::table! {
    certificate_events (id) {
        id -> BigInt,
        certificate_id -> BigInt,
        action -> Text,
        reason -> Nullable<Text>,
        actor_id -> Nullable<BigInt>,
        at -> Timestamp,
    }
}

diesel::table! {
    signing_keys (kid) {
        kid -> Text,
        private_pem -> Text,
        modulus -> Text,
        exponent -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> institutions (institution_id));
diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(one_time_tokens -> users (user_id));
diesel::joinable!(courses -> topics (topic_id));
diesel::joinable!(course_translations -> courses (course_id));
diesel::joinable!(course_languages -> courses (course_id));
diesel::joinable!(course_instructors -> courses (course_id));
diesel::joinable!(course_instructors -> users (user_id));
diesel::joinable!(offerings -> courses (course_id));
diesel::joinable!(offering_sessions -> offerings (offering_id));
diesel::joinable!(course_modules -> courses (course_id));
diesel::joinable!(lessons -> course_modules (module_id));
diesel::joinable!(enrolments -> offerings (offering_id));
diesel::joinable!(enrolments -> users (user_id));
diesel::joinable!(enrolment_documents -> enrolments (enrolment_id));
diesel::joinable!(lesson_completions -> enrolments (enrolment_id));
diesel::joinable!(attendance -> enrolments (enrolment_id));
diesel::joinable!(attendance -> offering_sessions (session_id));
diesel::joinable!(calendar_feeds -> users (user_id));
diesel::joinable!(module_translations -> course_modules (module_id));
diesel::joinable!(lesson_translations -> lessons (lesson_id));
diesel::joinable!(session_translations -> offering_sessions (session_id));
diesel::joinable!(assignments -> offerings (offering_id));
diesel::joinable!(rubric_criteria -> assignments (assignment_id));
diesel::joinable!(rubric_levels -> rubric_criteria (criterion_id));
diesel::joinable!(submissions -> assignments (assignment_id));
diesel::joinable!(submission_files -> submissions (submission_id));
diesel::joinable!(grades -> assignments (assignment_id));
diesel::joinable!(grade_levels -> grades (grade_id));
diesel::joinable!(question_texts -> questions (question_id));
diesel::joinable!(quiz_parts -> quizzes (quiz_id));
diesel::joinable!(quiz_attempts -> quizzes (quiz_id));
diesel::joinable!(attempt_questions -> quiz_attempts (attempt_id));
diesel::joinable!(attempt_questions -> questions (question_id));
diesel::joinable!(mail_attachments -> mail_outbox (outbox_id));
diesel::joinable!(certificates -> enrolments (enrolment_id));
diesel::joinable!(certificate_documents -> certificates (certificate_id));
diesel::joinable!(certificate_events -> certificates (certificate_id));

diesel::allow_tables_to_appear_in_same_query!(
    institutions,
    users,
    user_roles,
    refresh_tokens,
    one_time_tokens,
    rate_limits,
    app_secrets,
    mail_outbox,
    topics,
    courses,
    course_translations,
    course_languages,
    course_prerequisites,
    course_instructors,
    catalog_version,
    offerings,
    offering_sessions,
    course_modules,
    lessons,
    enrolments,
    enrolment_events,
    enrolment_documents,
    enrolment_payments,
    lesson_completions,
    attendance,
    calendar_feeds,
    module_translations,
    lesson_translations,
    session_translations,
    assignments,
    rubric_criteria,
    rubric_levels,
    assignment_extensions,
    submissions,
    submission_files,
    grades,
    grade_levels,
    grade_events,
    grade_files,
    final_grade_overrides,
    questions,
    question_texts,
    question_choices,
    question_answers,
    quizzes,
    quiz_parts,
    quiz_attempts,
    attempt_questions,
    quiz_extensions,
    jobs,
    mail_attachments,
    signatories,
    certification_settings,
    certificates,
    certificate_documents,
    certificate_events,
    signing_keys,
);
