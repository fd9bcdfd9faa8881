use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub const MAX_PER_PAGE: i64 = 100;
const DEFAULT_PER_PAGE: i64 = 20;

/// `?page=&per_page=` as asked by a client; normalised with [`PageRequest::clamped`].
/// A client that asks for a page below 1 or a size outside 1 to 100 is refused (the
/// query cannot be read), as the document's bounds say, rather than served another page.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageRequest {
    /// 1-based page number.
    #[serde(default, deserialize_with = "page_number")]
    #[param(minimum = 1)]
    pub page: Option<i64>,
    /// Items per page, 1 to 100 (default 20).
    #[serde(default, deserialize_with = "page_size")]
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

fn bounded<'de, D: serde::Deserializer<'de>>(
    de: D,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>, D::Error> {
    let value = i64::deserialize(de)?;
    if range.contains(&value) {
        Ok(Some(value))
    } else {
        Err(serde::de::Error::custom(format!(
            "{value} is outside {}..={}",
            range.start(),
            range.end()
        )))
    }
}

fn page_number<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<i64>, D::Error> {
    bounded(de, 1..=i64::MAX)
}

fn page_size<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<i64>, D::Error> {
    bounded(de, 1..=MAX_PER_PAGE)
}

impl PageRequest {
    pub fn new(page: i64, per_page: i64) -> Self {
        Self {
            page: Some(page),
            per_page: Some(per_page),
        }
    }

    /// Page at least 1, size between 1 and [`MAX_PER_PAGE`].
    pub fn clamped(self) -> (i64, i64) {
        let page = self.page.unwrap_or(1).max(1);
        let per_page = self
            .per_page
            .unwrap_or(DEFAULT_PER_PAGE)
            .clamp(1, MAX_PER_PAGE);
        (page, per_page)
    }

    pub fn offset(self) -> i64 {
        let (page, per_page) = self.clamped();
        (page - 1).saturating_mul(per_page)
    }

    pub fn limit(self) -> i64 {
        self.clamped().1
    }
}

/// One page of a list, as every list endpoint returns it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, total: i64, request: PageRequest) -> Self {
        let (page, per_page) = request.clamped();
        Self {
            items,
            total,
            page,
            per_page,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}
