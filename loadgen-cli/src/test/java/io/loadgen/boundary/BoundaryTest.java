package io.loadgen.boundary;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.JavaTypeVariable;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module boundary: each module's root package is its public API and everything under {@code
 * ROOT.internal} is its own business. Three rules, over the main classes of every module on this
 * module's test class path (all but {@code benchmarks}); tests are exempt:
 *
 * <ol>
 *   <li>no class uses another module's internal packages, except in {@code benchmarks}, whose JMH
 *       suites time internals on purpose;
 *   <li>no public or protected member of a public type in a root package (a supertype, a field, a
 *       return, parameter or thrown type, a type bound, or any type argument of these) names a type
 *       of an internal package;
 *   <li>every main package, {@code benchmarks}' included, has a {@code package-info.java} with a
 *       Javadoc comment.
 * </ol>
 *
 * <p>Why ArchUnit rather than a {@code module-info.java} per module, as Vert.x has: descriptors
 * would enforce the first rule only. javac cannot refuse an API signature that names a non-exported
 * type (it warns, under {@code -Xlint:exports}) nor a package without documentation, so this test
 * is needed anyway. And descriptors would cost more than they give here: both fat jars (the CLI's
 * and the benchmarks') strip {@code module-info.class} and run on the class path, so the modules
 * would exist at compile time only, while Surefire would run every test on the module path with the
 * test classes patched into each module, a runtime no user has; HdrHistogram 2.2.2 and JMH declare
 * no module name (theirs would come from the jar's file name) and DJL and Prometheus only automatic
 * ones; Jackson reads {@code SimOverrides} by reflection, which needs an {@code opens}; and the
 * benchmarks, which use core's internals, would need qualified exports or the class path.
 */
class BoundaryTest {
  private static final Pattern INTERNAL =
      Pattern.compile("(io\\.loadgen\\.[a-z0-9]+)\\.internal(\\..*)?");

  private static final JavaClasses MAIN_CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.loadgen");

  @Test
  void findsTheMainClassesOfEveryModuleOnTheClassPath() {
    for (Modules module : Modules.values()) {
      if (module == Modules.BENCHMARKS) {
        continue;
      }
      boolean found =
          MAIN_CLASSES.stream().anyMatch(c -> c.getPackageName().equals(module.rootPackage));
      assertTrue(
          found,
          "no main class of " + module.folder + " in " + module.rootPackage + " was imported");
    }
  }

  @Test
  void noModuleUsesAnotherModulesInternalPackages() {
    classes()
        .that()
        .resideOutsideOfPackage(Modules.BENCHMARKS.rootPackage + "..")
        .should(useNoOtherModulesInternalPackage())
        .as("no class (benchmarks aside) should use another module's internal packages")
        .check(MAIN_CLASSES);
  }

  @Test
  void noPublicApiSignatureNamesAnInternalType() {
    Set<String> roots = new TreeSet<>();
    for (Modules module : Modules.values()) {
      if (module != Modules.BENCHMARKS) {
        roots.add(module.rootPackage);
      }
    }
    classes()
        .that(arePublicApiIn(roots))
        .should(exposeNoInternalType())
        .as("public API types in " + roots + " should expose no type of an internal package")
        .check(MAIN_CLASSES);
  }

  @Test
  void everyMainPackageHasAPackageInfoWithJavadoc() throws IOException {
    Path root = Modules.projectRoot();
    List<String> missing = new ArrayList<>();
    int packages = 0;
    try (Stream<Path> modules = Files.list(root)) {
      for (Path sources :
          modules
              .map(m -> m.resolve("src/main/java"))
              .filter(Files::isDirectory)
              .sorted()
              .toList()) {
        try (Stream<Path> dirs = Files.walk(sources)) {
          for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
            if (!holdsJavaSources(dir)) {
              continue;
            }
            packages++;
            Path info = dir.resolve("package-info.java");
            if (!Files.isRegularFile(info)) {
              missing.add(root.relativize(info) + " is missing");
            } else if (!Files.readString(info).contains("/**")) {
              missing.add(root.relativize(info) + " has no Javadoc comment");
            }
          }
        }
      }
    }
    assertFalse(packages == 0, "no main sources found under " + root);
    assertEquals(
        List.of(),
        missing,
        "every main package needs a package-info.java whose Javadoc says what the package is and which "
            + "step of the data path it holds");
  }

  @Test
  void knowsEveryModuleOfTheBuild() throws IOException {
    Set<String> known = new TreeSet<>();
    Arrays.stream(Modules.values()).forEach(m -> known.add(m.folder));
    Set<String> built = new TreeSet<>();
    try (Stream<Path> dirs = Files.list(Modules.projectRoot())) {
      dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml")))
          .forEach(d -> built.add(d.getFileName().toString()));
    }
    assertEquals(known, built, "a module was added or removed: update io.loadgen.boundary.Modules");
  }

  private static boolean holdsJavaSources(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(
          f ->
              f.getFileName().toString().endsWith(".java")
                  && !f.getFileName().toString().equals("package-info.java"));
    }
  }

  private static ArchCondition<JavaClass> useNoOtherModulesInternalPackage() {
    return new ArchCondition<>("use no other module's internal package") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        String ownModule = moduleRoot(origin.getPackageName());
        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
          Matcher internal =
              INTERNAL.matcher(dependency.getTargetClass().getBaseComponentType().getPackageName());
          if (internal.matches() && !internal.group(1).equals(ownModule)) {
            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
          }
        }
      }
    };
  }

  /** {@code io.loadgen.X} for any package of module X. */
  private static String moduleRoot(String packageName) {
    int second = packageName.indexOf('.', packageName.indexOf('.') + 1);
    int third = second < 0 ? -1 : packageName.indexOf('.', second + 1);
    return third < 0 ? packageName : packageName.substring(0, third);
  }

  /**
   * Public types of a root package that code outside it can reach: every enclosing type public too.
   */
  static DescribedPredicate<JavaClass> arePublicApiIn(Set<String> rootPackages) {
    return DescribedPredicate.describe(
        "are public types of a root package",
        c -> {
          if (!rootPackages.contains(c.getPackageName())) {
            return false;
          }
          for (JavaClass t = c; t != null; t = t.getEnclosingClass().orElse(null)) {
            boolean reachable =
                t.getModifiers().contains(JavaModifier.PUBLIC)
                    || (t.getEnclosingClass().isPresent()
                        && t.getModifiers().contains(JavaModifier.PROTECTED));
            if (!reachable || t.isAnonymousClass() || t.isLocalClass()) {
              return false;
            }
          }
          return true;
        });
  }

  private static ArchCondition<JavaClass> exposeNoInternalType() {
    return new ArchCondition<>("expose no type of an internal package") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        type.getSuperclass().ifPresent(s -> report(type, "extends", s, events));
        type.getInterfaces().forEach(i -> report(type, "implements", i, events));
        type.getTypeParameters().forEach(p -> reportBounds(type, p, events));
        for (JavaField field : type.getFields()) {
          if (isApi(field)) {
            report(field, "has the type", field.getType(), events);
          }
        }
        for (JavaCodeUnit unit : type.getCodeUnits()) {
          if (!isApi(unit) || unit.getModifiers().contains(JavaModifier.SYNTHETIC)) {
            continue;
          }
          report(unit, "returns", unit.getReturnType(), events);
          unit.getParameterTypes().forEach(p -> report(unit, "takes", p, events));
          unit.getThrowsClause().getTypes().forEach(t -> report(unit, "throws", t, events));
          unit.getTypeParameters().forEach(p -> reportBounds(unit, p, events));
        }
      }

      private void reportBounds(
          Object owner, JavaTypeVariable<?> variable, ConditionEvents events) {
        variable
            .getUpperBounds()
            .forEach(b -> report(owner, "bounds " + variable.getName() + " by", b, events));
      }

      private void report(Object owner, String how, JavaType exposed, ConditionEvents events) {
        for (JavaClass raw : exposed.getAllInvolvedRawTypes()) {
          JavaClass base = raw.getBaseComponentType();
          if (INTERNAL.matcher(base.getPackageName()).matches()) {
            String where =
                owner instanceof JavaMember m ? m.getFullName() : ((JavaClass) owner).getName();
            events.add(
                SimpleConditionEvent.violated(
                    owner,
                    where
                        + " "
                        + how
                        + " "
                        + base.getName()
                        + ", a type of an internal package: keep it out of the signature or move it to the API"));
          }
        }
      }
    };
  }

  private static boolean isApi(JavaMember member) {
    Set<JavaModifier> modifiers = member.getModifiers();
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }
}
