//! Dates as the content gives them: full dates (`2024-05-14`) for pages and sources, and, for
//! timeline events, dates as precise as the documents are (`"2012"`, `"2023-07"`).

use std::fmt;

use serde::Deserialize;

/// A calendar date, possibly known only to the month or the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl Date {
    pub fn full(year: i32, month: u8, day: u8) -> Date {
        Date {
            year,
            month: Some(month),
            day: Some(day),
        }
    }

    pub fn is_full(&self) -> bool {
        self.day.is_some()
    }

    /// The key dates sort by: a month or year without a day sorts after its known days, so
    /// that "July 2023" comes after "3 July 2023" when newest comes first.
    pub fn sort_key(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(13), self.day.unwrap_or(32))
    }

    /// `2024-05-14`, `2023-07` or `2012`, as in the front matter and `<time datetime>`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(month), Some(day)) => format!("{:04}-{month:02}-{day:02}", self.year),
            (Some(month), None) => format!("{:04}-{month:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// RFC 3339 at midnight UTC, for feeds.
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        )
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking that the day exists.
    pub fn parse(text: &str) -> Result<Date, String> {
        let parts: Vec<&str> = text.split('-').collect();
        let number = |part: &str, digits: usize| -> Option<u32> {
            (part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse().ok())
                .flatten()
        };
        let invalid = || {
            format!(
                "\"{text}\" is not a date: write 2024-05-14, or \"2023-07\" or \"2012\" for a month or a year"
            )
        };
        let year = parts
            .first()
            .and_then(|part| number(part, 4))
            .ok_or_else(invalid)? as i32;
        let month = match parts.get(1) {
            Some(part) => Some(number(part, 2).ok_or_else(invalid)? as u8),
            None => None,
        };
        let day = match parts.get(2) {
            Some(part) => Some(number(part, 2).ok_or_else(invalid)? as u8),
            None => None,
        };
        if parts.len() > 3 {
            return Err(invalid());
        }
        let date = Date { year, month, day };
        date.validate().map(|()| date)
    }

    fn validate(&self) -> Result<(), String> {
        if let Some(month) = self.month {
            if !(1..=12).contains(&month) {
                return Err(format!("{} has no month {month}", self.year));
            }
            if let Some(day) = self.day {
                let days = days_in_month(self.year, month);
                if day == 0 || day > days {
                    return Err(format!("{}: month {month} has no day {day}", self.iso()));
                }
            }
        }
        Ok(())
    }

    /// From a TOML date value; a time of day, if any, is dropped.
    pub fn from_toml(value: &toml::value::Datetime) -> Result<Date, String> {
        let date = value
            .date
            .ok_or_else(|| format!("\"{value}\" is a time, not a date"))?;
        let date = Date::full(date.year as i32, date.month, date.day);
        date.validate().map(|()| date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A date as written in TOML: a date value, or a string for a partial date.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum DateInput {
    Toml(toml::value::Datetime),
    Text(String),
}

impl DateInput {
    pub fn resolve(&self) -> Result<Date, String> {
        match self {
            DateInput::Toml(value) => Date::from_toml(value),
            DateInput::Text(text) => Date::parse(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_parse_and_sort_after_their_days() {
        let july = Date::parse("2023-07").unwrap();
        let third = Date::parse("2023-07-03").unwrap();
        assert!(july.sort_key() > third.sort_key());
        assert_eq!(Date::parse("2012").unwrap().iso(), "2012");
        assert!(Date::parse("2023-02-30").is_err());
        assert!(Date::parse("23-02").is_err());
        assert!(Date::parse("2024-02-29").is_ok());
    }
}
