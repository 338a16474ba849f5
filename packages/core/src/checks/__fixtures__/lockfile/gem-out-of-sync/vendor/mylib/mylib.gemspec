Gem::Specification.new do |s|
  s.name = "mylib"
  s.version = "1.0.0.rc1"
  s.summary = "A path gem of the fixture app"
  s.authors = ["supplyaudit"]
  s.files = []
  s.add_dependency "activesupport", ">= 3.0"
end
