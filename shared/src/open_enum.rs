//! Enums whose wire form is a string (or number) and whose set of values the
//! upstream may grow: unknown values are kept in `Other`, never rejected, so
//! they can still be shown and sent back unchanged.

/// Declares a string-valued open enum with serde, `as_str`, `parse` and `Display`.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept as it came.
            Other(String),
        }

        impl $name {
            /// Every known value, in declaration order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Other(s) => s.as_str(),
                }
            }

            pub fn parse(text: &str) -> Self {
                match text {
                    $( $wire => $name::$variant, )+
                    other => $name::Other(other.to_owned()),
                }
            }

            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        /// An absent value reads as an empty unknown one.
        impl Default for $name {
            fn default() -> Self {
                $name::Other(String::new())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                Self::parse(text)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok(Self::parse(&text))
            }
        }
    };
}

/// Declares an integer-valued open enum (codes such as call-v2's `errorCode`).
macro_rules! open_int_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A code this version does not know, kept as it came.
            Other(i64),
        }

        impl $name {
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> i64 {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Other(n) => n,
                }
            }

            pub fn from_code(code: i64) -> Self {
                match code {
                    $( $wire => $name::$variant, )+
                    other => $name::Other(other),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(Self::from_code(i64::deserialize(d)?))
            }
        }
    };
}

pub(crate) use {open_enum, open_int_enum};
