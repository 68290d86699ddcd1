// C++ guest: shapes registered by static constructors, areas by virtual dispatch, a static
// destructor at exit. Uses only printf and the exit code, so it also runs under qemu-riscv32.
#include <stdio.h>

#include <memory>
#include <vector>

namespace {

class Shape {
 public:
  virtual ~Shape() = default;
  virtual const char* name() const = 0;
  virtual long twice_area() const = 0;  // twice the area keeps triangles integral
};

class Rectangle : public Shape {
 public:
  Rectangle(long width, long height) : width_(width), height_(height) {}
  const char* name() const override { return "rectangle"; }
  long twice_area() const override { return 2 * width_ * height_; }

 private:
  long width_;
  long height_;
};

class Square : public Rectangle {
 public:
  explicit Square(long side) : Rectangle(side, side) {}
  const char* name() const override { return "square"; }
};

class Triangle : public Shape {
 public:
  Triangle(long base, long height) : base_(base), height_(height) {}
  const char* name() const override { return "triangle"; }
  long twice_area() const override { return base_ * height_; }

 private:
  long base_;
  long height_;
};

std::vector<std::unique_ptr<Shape>>& registry() {
  static std::vector<std::unique_ptr<Shape>> shapes;
  return shapes;
}

struct Registrar {
  explicit Registrar(Shape* shape) { registry().emplace_back(shape); }
};

Registrar rectangle(new Rectangle(3, 4));
Registrar square(new Square(5));
Registrar triangle(new Triangle(6, 7));

struct Goodbye {
  ~Goodbye() { printf("shapes: static destructor ran\n"); }
} goodbye;

}  // namespace

int main() {
  long total = 0;
  for (const auto& shape : registry()) {
    printf("%s: %ld/2\n", shape->name(), shape->twice_area());
    total += shape->twice_area();
  }
  printf("shapes: %zu shapes, total area %ld/2\n", registry().size(), total);
  // 2*12 + 2*25 + 42 = 116
  return total == 116 ? 0 : 1;
}
