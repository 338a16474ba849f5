source "https://gems.example.com"

gem "rack", "2.2.22"
gem "nokogiri", "~> 1.13"
gem "mylib", path: "vendor/mylib"

group :development, :test do
  gem "rspec", "~> 3.12"
end
