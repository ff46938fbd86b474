fn main() { print!("{}", shared::access::markdown_table()); }
