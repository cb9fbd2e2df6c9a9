package io.loadgen.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every YAML document under {@code src/k8s}, each read twice: as a plain tree, and (for Kubernetes
 * objects) as fabric8's typed model, which knows the fields of every built-in kind. The
 * kustomization and the Helm values file are YAML too; they are kept apart here and checked on
 * their own.
 */
final class Manifests {
  /** YAML files that are Helm chart values, not Kubernetes objects. */
  static final Set<String> HELM_VALUES = Set.of("prometheus-adapter-values.yaml");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

  /** One YAML document of a file under src/k8s. */
  record Document(Path file, JsonNode tree) {
    boolean isKubernetesObject() {
      return tree.hasNonNull("apiVersion")
          && tree.hasNonNull("kind")
          && !kind().equals("Kustomization");
    }

    String kind() {
      return tree.path("kind").asText();
    }
  }

  /**
   * A Kubernetes object, typed by fabric8 (GenericKubernetesResource for kinds it has no model of).
   */
  record Manifest(Path file, JsonNode tree, HasMetadata object) {
    String name() {
      return object.getMetadata().getName();
    }
  }

  /** A pod template or pod, with where it came from. */
  record PodTemplate(String source, Map<String, String> labels, PodSpec spec) {}

  private final List<Document> documents;
  private final List<Manifest> manifests;

  private Manifests(List<Document> documents, List<Manifest> manifests) {
    this.documents = documents;
    this.manifests = manifests;
  }

  /** The repository root: surefire runs in loadgen-cli, whose parent it is. */
  static Path root() {
    Path module =
        Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    Path root = module.getParent();
    if (!Files.isDirectory(root.resolve("src/k8s")) || !Files.isRegularFile(root.resolve("mvnw"))) {
      throw new AssertionError(
          "expected the repository root, holding mvnw and src/k8s, above " + module);
    }
    return root;
  }

  static Path k8s() {
    return root().resolve("src/k8s");
  }

  static Manifests load() {
    List<Document> documents = new ArrayList<>();
    List<Manifest> manifests = new ArrayList<>();
    for (Path file : yamlFiles()) {
      for (JsonNode tree : readDocuments(file)) {
        Document document = new Document(file, tree);
        documents.add(document);
        if (document.isKubernetesObject()) {
          KubernetesResource typed = KUBERNETES.unmarshal(tree.toString());
          if (!(typed instanceof HasMetadata object)) {
            throw new AssertionError(
                file + ": " + document.kind() + " is not a Kubernetes object with metadata");
          }
          manifests.add(new Manifest(file, tree, object));
        }
      }
    }
    return new Manifests(List.copyOf(documents), List.copyOf(manifests));
  }

  static List<Path> yamlFiles() {
    try (Stream<Path> files = Files.walk(k8s())) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f ->
                  f.getFileName().toString().endsWith(".yaml")
                      || f.getFileName().toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> readDocuments(Path file) {
    try (var parser = YAML.getFactory().createParser(file.toFile())) {
      List<JsonNode> trees = new ArrayList<>();
      YAML.readValues(parser, JsonNode.class)
          .forEachRemaining(
              tree -> {
                if (tree != null && !tree.isNull() && !tree.isMissingNode()) {
                  trees.add(tree);
                }
              });
      return trees;
    } catch (IOException e) {
      throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  static JsonNode readYaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not valid YAML: " + e.getMessage(), e);
    }
  }

  List<Document> documents() {
    return documents;
  }

  List<Manifest> manifests() {
    return manifests;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return manifests.stream()
        .map(Manifest::object)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  <T extends HasMetadata> T one(Class<T> type, String name) {
    return all(type).stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no " + type.getSimpleName() + " named " + name + " under src/k8s"));
  }

  Manifest manifestOf(HasMetadata object) {
    return manifests.stream().filter(m -> m.object() == object).findFirst().orElseThrow();
  }

  /** Every pod the manifests would run: Deployment and Job templates and bare Pods. */
  List<PodTemplate> podTemplates() {
    List<PodTemplate> pods = new ArrayList<>();
    for (Deployment d : all(Deployment.class)) {
      pods.add(
          new PodTemplate(
              "Deployment " + d.getMetadata().getName(),
              d.getSpec().getTemplate().getMetadata().getLabels(),
              d.getSpec().getTemplate().getSpec()));
    }
    for (Job j : all(Job.class)) {
      pods.add(
          new PodTemplate(
              "Job " + j.getMetadata().getName(),
              j.getSpec().getTemplate().getMetadata().getLabels(),
              j.getSpec().getTemplate().getSpec()));
    }
    for (Pod p : all(Pod.class)) {
      pods.add(
          new PodTemplate(
              "Pod " + p.getMetadata().getName(), p.getMetadata().getLabels(), p.getSpec()));
    }
    return pods;
  }

  List<Container> containers() {
    return podTemplates().stream().flatMap(p -> p.spec().getContainers().stream()).toList();
  }
}
