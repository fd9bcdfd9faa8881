//! Identity: member institutions, people and their roles, passwords, sign-in
//! tokens, e-mail verification, password reset and throttling.
//!
//! Every function takes the connection it works on, so callers decide the
//! transaction; nothing here knows about HTTP.

pub mod accounts;
pub mod auth;
mod countries;
mod error;
pub mod institutions;
mod model;
mod password;
pub mod password_change;
mod purge;
mod secrets;
mod throttle;
mod tokens;
pub mod users;

pub use accounts::AccountInput;
pub use auth::{AuthConfig, Identity, Invitee, NewUser, Registration, Session};
pub use error::IdentityError;
pub use model::{Institution, MailPreferences, MembershipCategory, Role, User, UserStatus};
pub use password::{PasswordHasher, DEMO_PASSWORD};
pub use purge::{purge_expired, Purged};
pub use secrets::get_or_create_secret;
pub use throttle::{hit as throttle_hit, Limit, Limits};
pub use tokens::{AccessClaims, JwtKeys, ACCESS_TOKEN_TTL_SECONDS};
