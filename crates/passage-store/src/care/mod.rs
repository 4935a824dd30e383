//! Reception and care: shelter units, stays and occupancy; assistance programmes and
//! distributions; incidents and flow counts; tracing requests.

mod assistance;
mod incidents;
mod shelter;
mod tracing;

pub use assistance::DistributionFilter;
pub use tracing::OpenTracingRequest;
