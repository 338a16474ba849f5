Gem::Specification.new do |s|
  s.name = "mylib"
  s.version = "1.0.0.rc1"
  s.summary = "x"
  s.authors = ["x"]
  s.files = []
  s.add_dependency "nokogiri", "~> 1.13"
end
