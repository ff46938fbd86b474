fn main() { print!("{}", shared::wire::access::markdown_table()); }
