package io.loadgen.boundary;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A module's public API as text, OkHttp's {@code .api} habit: every public type of the module's
 * root package (nested ones too, when every enclosing type is public) and each of its public and
 * protected fields, constructors and methods, one line each with its full generic signature, read
 * by reflection from the compiled classes.
 *
 * <p>The text is stable: types are sorted by name, and a type's members by kind (fields, then
 * constructors, then methods), name and parameters; names are canonical ({@code
 * io.loadgen.core.ServerMetrics.Replica}), never binary; nothing depends on the JDK's own {@code
 * toString} of a member, so JDK 17 and 25 write the same file. Only what a caller can rely on is
 * written: declared members, not inherited ones; modifiers that are implicit in the declaration
 * ({@code final} on a member of a final class, {@code abstract} on an interface's method, {@code
 * static} on a nested record) are left out, so an edit that changes nothing for a caller changes
 * nothing here.
 */
final class ApiListing {
  private ApiListing() {}

  /** The listing of one module, from its classes on the class path. */
  static String of(Modules module) throws IOException {
    List<Class<?>> types = new ArrayList<>();
    ClassLoader loader = ApiListing.class.getClassLoader();
    for (String className : classNames(module.rootPackage, loader)) {
      Class<?> type;
      try {
        type = Class.forName(className, false, loader);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("listed but not loadable: " + className, e);
      }
      if (isApi(type)) {
        types.add(type);
      }
    }
    if (types.isEmpty()) {
      throw new IllegalStateException(
          "no public type in " + module.rootPackage + " on the class path");
    }
    types.sort(Comparator.comparing(Class::getCanonicalName));
    StringBuilder out = new StringBuilder();
    out.append("# The public API of ")
        .append(module.folder)
        .append(": the types of ")
        .append(module.rootPackage)
        .append(" that other modules and users may use.\n")
        .append("# Written by ApiListingTest; do not edit. To update: ")
        .append(ApiListingTest.UPDATE_COMMAND)
        .append('\n');
    for (Class<?> type : types) {
      out.append('\n').append(declaration(type)).append('\n');
      for (String member : members(type)) {
        out.append("  ").append(member).append('\n');
      }
    }
    return out.toString();
  }

  /**
   * The classes of one package, not of its subpackages, from the main classes on the class path: a
   * module's {@code target/classes} in a reactor build, else its jar.
   */
  private static Set<String> classNames(String packageName, ClassLoader loader) throws IOException {
    String folder = packageName.replace('.', '/');
    Set<String> names = new TreeSet<>();
    for (URL url : Collections.list(loader.getResources(folder))) {
      if (url.getPath().contains("/test-classes/")) {
        continue;
      }
      if (url.getProtocol().equals("file")) {
        try (DirectoryStream<Path> files =
            Files.newDirectoryStream(Path.of(URI.create(url.toString())), "*.class")) {
          for (Path file : files) {
            names.add(
                packageName + "." + file.getFileName().toString().replaceFirst("\\.class$", ""));
          }
        }
      } else if (url.getProtocol().equals("jar")) {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
          for (JarEntry entry : Collections.list(jar.entries())) {
            String name = entry.getName();
            if (name.startsWith(folder + "/")
                && name.endsWith(".class")
                && name.indexOf('/', folder.length() + 1) < 0) {
              names.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
            }
          }
        }
      }
    }
    names.remove(packageName + ".package-info");
    return names;
  }

  /**
   * Reachable from outside the package: public, inside types that are all public (or protected).
   */
  private static boolean isApi(Class<?> type) {
    if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
      return false;
    }
    for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
      int modifiers = t.getModifiers();
      boolean reachable =
          Modifier.isPublic(modifiers)
              || (t.getDeclaringClass() != null && Modifier.isProtected(modifiers));
      if (!reachable) {
        return false;
      }
    }
    return true;
  }

  private static String declaration(Class<?> type) {
    StringJoiner words = new StringJoiner(" ");
    int modifiers = type.getModifiers();
    words.add(Modifier.isPublic(modifiers) ? "public" : "protected");
    boolean plainClass = !type.isInterface() && !type.isEnum() && !type.isRecord();
    if (plainClass && Modifier.isAbstract(modifiers)) {
      words.add("abstract");
    }
    if (plainClass && type.getDeclaringClass() != null && Modifier.isStatic(modifiers)) {
      words.add("static");
    }
    if (plainClass && Modifier.isFinal(modifiers)) {
      words.add("final");
    }
    if (type.isSealed()) {
      words.add("sealed");
    } else if (extendsSealed(type)
        && (type.isInterface() || (plainClass && !Modifier.isFinal(modifiers)))) {
      words.add("non-sealed");
    }
    words.add(
        type.isAnnotation()
            ? "@interface"
            : type.isInterface()
                ? "interface"
                : type.isEnum() ? "enum" : type.isRecord() ? "record" : "class");
    StringBuilder line =
        new StringBuilder(words.toString()).append(' ').append(type.getCanonicalName());
    line.append(typeParameters(type.getTypeParameters()));
    if (type.isRecord()) {
      StringJoiner components = new StringJoiner(", ", "(", ")");
      for (RecordComponent component : type.getRecordComponents()) {
        components.add(name(component.getGenericType()) + " " + component.getName());
      }
      line.append(components);
    }
    Type superclass = type.getGenericSuperclass();
    if (superclass != null && plainClass && superclass != Object.class) {
      line.append(" extends ").append(name(superclass));
    }
    List<String> interfaces = new ArrayList<>();
    for (Type each : type.getGenericInterfaces()) {
      if (!type.isAnnotation()) {
        interfaces.add(name(each));
      }
    }
    if (!interfaces.isEmpty()) {
      line.append(type.isInterface() ? " extends " : " implements ")
          .append(String.join(", ", interfaces));
    }
    if (type.isSealed()) {
      List<String> permitted = new ArrayList<>();
      for (Class<?> each : type.getPermittedSubclasses()) {
        permitted.add(each.getCanonicalName() != null ? each.getCanonicalName() : each.getName());
      }
      permitted.sort(null);
      line.append(" permits ").append(String.join(", ", permitted));
    }
    return line.toString();
  }

  private static boolean extendsSealed(Class<?> type) {
    if (type.getSuperclass() != null && type.getSuperclass().isSealed()) {
      return true;
    }
    return Arrays.stream(type.getInterfaces()).anyMatch(Class::isSealed);
  }

  private static List<String> members(Class<?> type) {
    List<Entry> entries = new ArrayList<>();
    for (Field field : type.getDeclaredFields()) {
      if (isApi(field)) {
        entries.add(
            new Entry(
                0,
                field.getName(),
                "",
                modifiers(type, field) + name(field.getGenericType()) + " " + field.getName()));
      }
    }
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      if (isApi(constructor)) {
        String parameters = parameters(constructor);
        entries.add(
            new Entry(
                1,
                "",
                parameters,
                modifiers(type, constructor)
                    + typeParametersWithSpace(constructor.getTypeParameters())
                    + type.getSimpleName()
                    + parameters
                    + exceptions(constructor)));
      }
    }
    for (Method method : type.getDeclaredMethods()) {
      if (isApi(method) && !method.isBridge()) {
        String parameters = parameters(method);
        entries.add(
            new Entry(
                2,
                method.getName(),
                parameters,
                modifiers(type, method)
                    + typeParametersWithSpace(method.getTypeParameters())
                    + name(method.getGenericReturnType())
                    + " "
                    + method.getName()
                    + parameters
                    + exceptions(method)));
      }
    }
    entries.sort(
        Comparator.comparingInt(Entry::kind)
            .thenComparing(Entry::name)
            .thenComparing(Entry::parameters)
            .thenComparing(Entry::line));
    return entries.stream().map(Entry::line).toList();
  }

  private record Entry(int kind, String name, String parameters, String line) {}

  private static boolean isApi(Member member) {
    int modifiers = member.getModifiers();
    return !member.isSynthetic()
        && (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers));
  }

  private static String modifiers(Class<?> owner, Member member) {
    int modifiers = member.getModifiers();
    StringBuilder words =
        new StringBuilder(Modifier.isPublic(modifiers) ? "public " : "protected ");
    if (member instanceof Method method) {
      if (method.isDefault()) {
        words.append("default ");
      } else if (Modifier.isAbstract(modifiers) && !owner.isInterface()) {
        words.append("abstract ");
      }
    }
    if (Modifier.isStatic(modifiers)) {
      words.append("static ");
    }
    boolean ownerFinal =
        Modifier.isFinal(owner.getModifiers()) || owner.isRecord() || owner.isEnum();
    if (Modifier.isFinal(modifiers) && (member instanceof Field || !ownerFinal)) {
      words.append("final ");
    }
    return words.toString();
  }

  private static String parameters(Executable executable) {
    Type[] types = executable.getGenericParameterTypes();
    if (types.length != executable.getParameterCount()) {
      // Some constructors (an enum's, an inner class's) leave synthetic parameters out of the
      // generic form; their erased form is the whole truth.
      types = executable.getParameterTypes();
    }
    StringJoiner list = new StringJoiner(", ", "(", ")");
    for (int i = 0; i < types.length; i++) {
      String name = name(types[i]);
      if (executable.isVarArgs() && i == types.length - 1 && name.endsWith("[]")) {
        name = name.substring(0, name.length() - 2) + "...";
      }
      list.add(name);
    }
    return list.toString();
  }

  private static String exceptions(Executable executable) {
    Type[] thrown = executable.getGenericExceptionTypes();
    if (thrown.length == 0) {
      return "";
    }
    List<String> names = new ArrayList<>();
    for (Type each : thrown) {
      names.add(name(each));
    }
    names.sort(null);
    return " throws " + String.join(", ", names);
  }

  private static String typeParametersWithSpace(TypeVariable<?>[] variables) {
    String declared = typeParameters(variables);
    return declared.isEmpty() ? "" : declared + " ";
  }

  private static String typeParameters(TypeVariable<?>[] variables) {
    if (variables.length == 0) {
      return "";
    }
    StringJoiner list = new StringJoiner(", ", "<", ">");
    for (TypeVariable<?> variable : variables) {
      List<String> bounds = new ArrayList<>();
      for (Type bound : variable.getBounds()) {
        if (bound != Object.class) {
          bounds.add(name(bound));
        }
      }
      list.add(
          bounds.isEmpty()
              ? variable.getName()
              : variable.getName() + " extends " + String.join(" & ", bounds));
    }
    return list.toString();
  }

  /** A type as source code names it: canonical names, type arguments, wildcards, arrays. */
  static String name(Type type) {
    if (type instanceof Class<?> c) {
      if (c.isArray()) {
        return name(c.getComponentType()) + "[]";
      }
      return c.getCanonicalName() != null ? c.getCanonicalName() : c.getName();
    }
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      StringBuilder out = new StringBuilder();
      if (p.getOwnerType() instanceof ParameterizedType owner) {
        out.append(name(owner)).append('.').append(raw.getSimpleName());
      } else {
        out.append(name(raw));
      }
      StringJoiner arguments = new StringJoiner(", ", "<", ">");
      for (Type argument : p.getActualTypeArguments()) {
        arguments.add(name(argument));
      }
      return out.append(arguments).toString();
    }
    if (type instanceof WildcardType w) {
      if (w.getLowerBounds().length > 0) {
        return "? super " + name(w.getLowerBounds()[0]);
      }
      Type[] upper = w.getUpperBounds();
      return upper.length == 0 || upper[0] == Object.class ? "?" : "? extends " + name(upper[0]);
    }
    if (type instanceof GenericArrayType g) {
      return name(g.getGenericComponentType()) + "[]";
    }
    if (type instanceof TypeVariable<?> v) {
      return v.getName();
    }
    return type.getTypeName();
  }
}
