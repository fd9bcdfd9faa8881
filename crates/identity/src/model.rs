use aula_core::Locale;
use aula_db::schema::institutions;
use aula_mail::Mail;
use chrono::{DateTime, Utc};
use diesel::{Queryable, Selectable};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use aula_core::text_enum;

text_enum! {
    /// What a person may do. A coordinator acts for their own institution only.
    Role { Admin = "admin", Instructor = "instructor", Coordinator = "coordinator", Student = "student" }
}

text_enum! {
    /// CISS membership category of an institution.
    MembershipCategory {
        Titular = "titular",
        Asociado = "asociado",
        Adherente = "adherente",
        Vinculado = "vinculado",
        NonMember = "non_member",
    }
}

text_enum! {
    UserStatus { Active = "active", Disabled = "disabled" }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = institutions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Institution {
    pub id: i64,
    pub name: String,
    pub acronym: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    pub membership_category: MembershipCategory,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub full_name: String,
    pub locale: Locale,
    pub institution: Option<Institution>,
    pub roles: Vec<Role>,
    pub status: UserStatus,
    pub email_verified: bool,
    pub created_at: DateTime<Utc>,
    /// IANA time zone the person reads times in; none means the browser's own.
    pub time_zone: Option<String>,
    pub mail_preferences: MailPreferences,
    #[serde(skip)]
    pub token_version: i32,
}

/// The optional mails a person accepts. Account mails (address verification, password
/// reset and change, invitations) are always sent: without them no one could sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MailPreferences {
    /// News of one's own applications and enrolments (admitted, waitlisted, passed…).
    pub enrolment_updates: bool,
    /// For coordinators: an application of their institution waits for endorsement.
    pub endorsement_requests: bool,
}

impl Default for MailPreferences {
    fn default() -> Self {
        Self {
            enrolment_updates: true,
            endorsement_requests: true,
        }
    }
}

impl MailPreferences {
    /// Whether `mail` may go to this person.
    pub fn allows(&self, mail: &Mail) -> bool {
        match mail {
            Mail::EnrolmentChanged { .. } => self.enrolment_updates,
            Mail::EndorsementRequested { .. } => self.endorsement_requests,
            Mail::VerifyEmail { .. }
            | Mail::PasswordReset { .. }
            | Mail::PasswordChanged { .. }
            | Mail::Invitation { .. }
            | Mail::RegistrationAttempt { .. }
            // A receipt is the learner's proof of what was handed in.
            | Mail::SubmissionReceipt { .. }
            | Mail::CertificateIssued { .. } => true,
        }
    }
}

impl User {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_admin(&self) -> bool {
        self.has_role(Role::Admin)
    }
}
