//! Protection: who needs it and what follows. A screening (answers to a versioned
//! questionnaire, [`questionnaire`]) computes specific needs ([`needs`]), vulnerability,
//! trafficking indicators, child status and age, fear of return ([`screening`]); rules turn
//! those into proposed referrals ([`referral`]) that share only what each service needs
//! ([`shared`]); cases follow the differentiated procedures ([`procedure`]), seen per kind
//! ([`case_access`]); and no return is scheduled or executed while the non-refoulement
//! [`guard`] holds.

pub mod case_access;
pub mod guard;
pub mod needs;
pub mod procedure;
pub mod questionnaire;
pub mod records;
pub mod referral;
pub mod screening;
pub mod shared;
