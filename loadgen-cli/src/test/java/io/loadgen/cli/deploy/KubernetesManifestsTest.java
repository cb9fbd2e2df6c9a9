package io.loadgen.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.loadgen.sim.SimConfig;
import io.loadgen.sim.SimServer;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every manifest under src/k8s, parsed into fabric8's typed Kubernetes model and checked against
 * what it deploys: the CLI's real flags (picocli parses each container's command line), the image
 * the build makes, the simulated server (started here, and asked for the probe and metrics paths),
 * and each other (Service to pods, ServiceMonitor to Service, adapter rules to HPAs).
 */
class KubernetesManifestsTest {
  private static final Map<String, String> CURRENT_API_VERSIONS =
      Map.of(
          "Deployment", "apps/v1",
          "Service", "v1",
          "Pod", "v1",
          "PersistentVolumeClaim", "v1",
          "ConfigMap", "v1",
          "Job", "batch/v1",
          "HorizontalPodAutoscaler", "autoscaling/v2",
          "ServiceMonitor", "monitoring.coreos.com/v1");

  /**
   * Kinds fabric8 has no model of, read as GenericKubernetesResource and checked field by field.
   */
  private static final Set<String> CUSTOM_KINDS = Set.of("ServiceMonitor");

  /**
   * ServiceMonitor fields (prometheus-operator's monitoring.coreos.com/v1) these manifests may use.
   */
  private static final Set<String> SERVICE_MONITOR_SPEC_FIELDS =
      Set.of(
          "selector",
          "endpoints",
          "namespaceSelector",
          "jobLabel",
          "targetLabels",
          "podTargetLabels");

  private static final Set<String> SERVICE_MONITOR_ENDPOINT_FIELDS =
      Set.of(
          "port",
          "targetPort",
          "path",
          "scheme",
          "interval",
          "scrapeTimeout",
          "honorLabels",
          "params",
          "relabelings",
          "metricRelabelings");

  private static final Pattern SERIES_NAME = Pattern.compile("__name__=\"([^\"]+)\"");
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Manifests manifests;
  private static Dockerfile dockerfile;
  private static SimServer sim;

  @BeforeAll
  static void loadManifestsAndStartTheSimulatorTheyDeploy() {
    manifests = Manifests.load();
    dockerfile = Dockerfile.read(Manifests.root().resolve("src/docker/Dockerfile"));
    sim = SimServer.start(SimConfig.preset(simPreset()).build());
  }

  @AfterAll
  static void stopTheSimulator() {
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void everyYamlFileIsAKubernetesObjectTheKustomizationOrHelmValues() {
    assertFalse(manifests.manifests().isEmpty(), "no manifests found under " + Manifests.k8s());
    for (Manifests.Document document : manifests.documents()) {
      String file = document.file().getFileName().toString();
      if (Manifests.HELM_VALUES.contains(file)) {
        assertFalse(
            document.tree().has("apiVersion"),
            file + " is listed as Helm values but is a manifest");
      } else if (document.kind().equals("Kustomization")) {
        assertEquals(
            "kustomize.config.k8s.io/v1beta1", document.tree().path("apiVersion").asText(), file);
      } else {
        assertTrue(
            document.isKubernetesObject(), file + " holds a document with no apiVersion and kind");
      }
    }
  }

  @Test
  void everyObjectUsesTheCurrentApiVersionOfItsKind() {
    for (Manifests.Manifest manifest : manifests.manifests()) {
      String kind = manifest.object().getKind();
      assertTrue(
          CURRENT_API_VERSIONS.containsKey(kind),
          manifest.file().getFileName()
              + ": a "
              + kind
              + ", which this test does not know; add its current apiVersion");
      assertEquals(
          CURRENT_API_VERSIONS.get(kind),
          manifest.object().getApiVersion(),
          manifest.file().getFileName() + ": " + kind + " " + manifest.name());
    }
  }

  @Test
  void everyBuiltInObjectParsesIntoItsTypedModelWithNoUnknownField() {
    for (Manifests.Manifest manifest : manifests.manifests()) {
      HasMetadata object = manifest.object();
      String where =
          manifest.file().getFileName() + ": " + object.getKind() + " " + manifest.name();
      if (CUSTOM_KINDS.contains(object.getKind())) {
        assertTrue(object instanceof GenericKubernetesResource, where);
        continue;
      }
      assertFalse(
          object instanceof GenericKubernetesResource,
          where + " was not recognised as a typed object");
      // fabric8 keeps fields it does not know in additionalProperties instead of failing, so a
      // misspelt field (stabilisationWindowSeconds) would otherwise pass unnoticed.
      List<String> unknown = new ArrayList<>();
      collectUnknownFields(object, object.getKind(), unknown, 0);
      assertEquals(List.of(), unknown, where + " has fields the Kubernetes API does not know");
    }
  }

  @Test
  void theServiceMonitorUsesOnlyServiceMonitorFields() {
    JsonNode monitor = serviceMonitor();
    new TreeSet<>(fieldNames(monitor.path("spec")))
        .forEach(
            field ->
                assertTrue(
                    SERVICE_MONITOR_SPEC_FIELDS.contains(field), "ServiceMonitor spec." + field));
    assertTrue(
        monitor.path("spec").path("endpoints").size() > 0,
        "the ServiceMonitor scrapes no endpoint");
    for (JsonNode endpoint : monitor.path("spec").path("endpoints")) {
      fieldNames(endpoint)
          .forEach(
              field ->
                  assertTrue(
                      SERVICE_MONITOR_ENDPOINT_FIELDS.contains(field),
                      "ServiceMonitor endpoint field " + field));
    }
  }

  @Test
  void theKustomizationListsFilesThatExistAndTheGuideAppliesEveryOtherManifest()
      throws IOException {
    Path kustomizationFile = Manifests.k8s().resolve("kustomization.yaml");
    JsonNode kustomization = Manifests.readDocuments(kustomizationFile).get(0);
    Set<String> listed = new LinkedHashSet<>();
    kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    assertFalse(listed.isEmpty(), "the kustomization lists no resources");
    for (String resource : listed) {
      assertTrue(
          Files.isRegularFile(Manifests.k8s().resolve(resource)),
          "kustomization.yaml lists " + resource);
    }
    String guide = Files.readString(Manifests.k8s().resolve("README.md"));
    for (Manifests.Manifest manifest : manifests.manifests()) {
      String file = manifest.file().getFileName().toString();
      assertTrue(
          listed.contains(file) || guide.contains("src/k8s/" + file),
          file + " is neither in kustomization.yaml nor applied by the guide");
    }
    for (String values : Manifests.HELM_VALUES) {
      assertTrue(guide.contains("src/k8s/" + values), "the guide never uses " + values);
    }
  }

  @Test
  void everyLoadgenContainerRunsACommandLineThePicocliParserAccepts() {
    Set<String> subcommands = new TreeSet<>();
    for (Manifests.PodTemplate pod : manifests.podTemplates()) {
      for (Container container : pod.spec().getContainers()) {
        List<String> args = loadgenArgs(pod, container);
        if (args == null) {
          continue;
        }
        try {
          CommandLine.ParseResult result = LoadgenCli.parse(args);
          assertNotNull(result.subcommand(), pod.source() + " names no subcommand: " + args);
          subcommands.add(result.subcommand().commandSpec().name());
        } catch (CommandLine.ParameterException e) {
          fail(
              pod.source()
                  + ", container "
                  + container.getName()
                  + ": loadgen would reject "
                  + args
                  + ": "
                  + e.getMessage());
        }
      }
    }
    assertEquals(
        Set.of("profile", "sim", "merge"),
        subcommands,
        "the manifests run loadgen profile, loadgen sim and loadgen merge");
  }

  @Test
  void everyContainerRunsTheImageTheBuildMakes() {
    String image = Poms.cli().text(Poms.JIB + "/configuration/to/image");
    assertFalse(image.isEmpty(), "the jib profile names no image");
    List<Container> containers = manifests.containers();
    assertTrue(
        containers.size() >= 3,
        "expected the sim, Job and pod containers, got " + containers.size());
    for (Container container : containers) {
      assertEquals(image, container.getImage(), "container " + container.getName());
      // A locally built tag (docker build, kind load, Jib's tar) is never in a registry to pull.
      assertEquals(
          "IfNotPresent", container.getImagePullPolicy(), "container " + container.getName());
    }
  }

  @Test
  void theServiceSelectsTheSimulatorPodsOnTheirHttpPortAndNoLoadgenPod() {
    Service service = manifests.one(Service.class, "loadgen-sim");
    Deployment deployment = manifests.one(Deployment.class, "loadgen-sim");
    Map<String, String> selector = service.getSpec().getSelector();
    assertFalse(selector.isEmpty());
    assertEquals(
        selector,
        deployment.getSpec().getSelector().getMatchLabels(),
        "the Service and the Deployment select the same pods");
    for (Manifests.PodTemplate pod : manifests.podTemplates()) {
      boolean selected = pod.labels().entrySet().containsAll(selector.entrySet());
      assertEquals(
          pod.source().equals("Deployment loadgen-sim"),
          selected,
          pod.source() + " selected by the Service");
    }
    assertTrue(selector.containsKey("app.kubernetes.io/name"));

    Container simContainer = simContainer();
    ServicePort http =
        service.getSpec().getPorts().stream()
            .filter(p -> "http".equals(p.getName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the Service has no port named http"));
    ContainerPort target =
        containerPort(
            simContainer,
            http.getTargetPort().getStrVal() != null
                ? http.getTargetPort().getStrVal()
                : String.valueOf(http.getTargetPort().getIntVal()));
    CommandLine.ParseResult simArgs = LoadgenCli.parse(simContainer.getArgs());
    assertEquals(
        String.valueOf(target.getContainerPort()),
        LoadgenCli.option(simArgs, "--port"),
        "the sim listens on the port the Service sends to");
    assertEquals(
        "0.0.0.0", LoadgenCli.option(simArgs, "--host"), "the sim listens on the pod's address");
    assertEquals(8000, http.getPort());
  }

  @Test
  void probesAskTheSimulatorForAPathItAnswersOnItsHttpPort() throws Exception {
    Container container = simContainer();
    List<Probe> probes = new ArrayList<>();
    probes.add(container.getReadinessProbe());
    probes.add(container.getLivenessProbe());
    for (Probe probe : probes) {
      assertNotNull(probe, "the sim container needs a readiness and a liveness probe");
      HTTPGetAction get = probe.getHttpGet();
      assertNotNull(get, "an HTTP probe");
      containerPort(
          container,
          get.getPort().getStrVal() != null
              ? get.getPort().getStrVal()
              : String.valueOf(get.getPort().getIntVal()));
      assertEquals(
          200, get(get.getPath()).statusCode(), "GET " + get.getPath() + " on the simulator");
    }
  }

  @Test
  void theServiceMonitorScrapesTheServicesHttpPortAtAPathServingTheAdaptersMetrics()
      throws Exception {
    JsonNode monitor = serviceMonitor();
    Service service = manifests.one(Service.class, "loadgen-sim");
    Map<String, String> matchLabels = new HashMap<>();
    monitor
        .path("spec")
        .path("selector")
        .path("matchLabels")
        .properties()
        .forEach(e -> matchLabels.put(e.getKey(), e.getValue().asText()));
    assertFalse(matchLabels.isEmpty());
    assertTrue(
        service.getMetadata().getLabels().entrySet().containsAll(matchLabels.entrySet()),
        "the ServiceMonitor selects the Service by its labels");
    Set<String> servicePorts = new TreeSet<>();
    service.getSpec().getPorts().forEach(p -> servicePorts.add(p.getName()));
    for (JsonNode endpoint : monitor.path("spec").path("endpoints")) {
      assertTrue(
          servicePorts.contains(endpoint.path("port").asText()),
          "endpoint port " + endpoint.path("port"));
      HttpResponse<String> page = get(endpoint.path("path").asText("/metrics"));
      assertEquals(200, page.statusCode());
      Set<String> exported = metricNames(page.body());
      for (JsonNode rule : adapterRules()) {
        assertTrue(
            exported.contains(seriesName(rule)), seriesName(rule) + " at " + endpoint.path("path"));
      }
    }
  }

  @Test
  void adapterRulesExposeGaugesTheSimulatorExportsAsPodMetrics() {
    Set<String> exported = metricNames(sim.metricsText());
    JsonNode rules = adapterRules();
    assertEquals(2, rules.size(), "one rule for NIM's gauge and one for vLLM's");
    Set<String> series = new TreeSet<>();
    for (JsonNode rule : rules) {
      String name = seriesName(rule);
      series.add(name);
      assertTrue(
          exported.contains(name), name + " is not among the simulator's metrics: " + exported);
      assertEquals(
          "namespace",
          rule.path("resources").path("overrides").path("namespace").path("resource").asText());
      assertEquals(
          "pod", rule.path("resources").path("overrides").path("pod").path("resource").asText());
      String query = rule.path("metricsQuery").asText();
      for (String placeholder : List.of("<<.Series>>", "<<.LabelMatchers>>", "<<.GroupBy>>")) {
        assertTrue(query.contains(placeholder), "metricsQuery lacks " + placeholder + ": " + query);
      }
      assertFalse(
          exposedName(rule).contains(":"),
          "custom metric names carry no colon: " + exposedName(rule));
    }
    assertEquals(Set.of("gpu_cache_usage_perc", "vllm:kv_cache_usage_perc"), series);
  }

  @Test
  void theHelmValuesCarryTheSameRulesAsTheAdapterConfigMap() {
    ConfigMap config = manifests.one(ConfigMap.class, "adapter-config");
    assertEquals("monitoring", config.getMetadata().getNamespace());
    JsonNode values =
        manifests.documents().stream()
            .filter(d -> Manifests.HELM_VALUES.contains(d.file().getFileName().toString()))
            .findFirst()
            .orElseThrow()
            .tree();
    assertEquals(adapterRules(), values.path("rules").path("custom"));
    assertTrue(values.path("prometheus").path("url").asText().startsWith("http"));
  }

  @Test
  void
      eachAutoscalerScalesTheSimulatorFromOneToThreeAtATenPercentAverageOfAMetricTheAdapterExposes() {
    List<HorizontalPodAutoscaler> hpas = manifests.all(HorizontalPodAutoscaler.class);
    assertEquals(2, hpas.size(), "one HPA on NIM's gauge, one on vLLM's");
    Set<String> exposed = new TreeSet<>();
    adapterRules().forEach(rule -> exposed.add(exposedName(rule)));
    Set<String> used = new TreeSet<>();
    Deployment deployment = manifests.one(Deployment.class, "loadgen-sim");
    assertNull(
        deployment.getSpec().getReplicas(),
        "re-applying the Deployment would reset the HPA's replica count");
    for (HorizontalPodAutoscaler hpa : hpas) {
      String where = manifests.manifestOf(hpa).file().getFileName().toString();
      // Both carry one name, so applying one replaces the other: two HPAs on one Deployment fight.
      assertEquals("loadgen-sim", hpa.getMetadata().getName(), where);
      assertEquals("apps/v1", hpa.getSpec().getScaleTargetRef().getApiVersion(), where);
      assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind(), where);
      assertEquals(
          deployment.getMetadata().getName(), hpa.getSpec().getScaleTargetRef().getName(), where);
      assertEquals(1, hpa.getSpec().getMinReplicas(), where);
      assertEquals(3, hpa.getSpec().getMaxReplicas(), where);
      assertEquals(1, hpa.getSpec().getMetrics().size(), where);
      MetricSpec metric = hpa.getSpec().getMetrics().get(0);
      assertEquals("Pods", metric.getType(), where);
      assertEquals("AverageValue", metric.getPods().getTarget().getType(), where);
      assertEquals("100m", metric.getPods().getTarget().getAverageValue().toString(), where);
      assertEquals(
          0,
          new BigDecimal("0.1")
              .compareTo(metric.getPods().getTarget().getAverageValue().getNumericalAmount()));
      Integer window = hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds();
      assertNotNull(window, where + " sets no scale-down stabilisation window");
      assertTrue(window >= 60, where + ": scale-down stabilisation of " + window + " s");
      used.add(metric.getPods().getMetric().getName());
    }
    assertEquals(exposed, used, "the HPAs use exactly the metrics the adapter exposes");
    assertEquals(Set.of("gpu_cache_usage_perc", "vllm_kv_cache_usage_perc"), used);
  }

  @Test
  void theIndexedJobSweepsTheSimulatorServiceByNameIntoItsArtifactsVolume() {
    Job job = manifests.one(Job.class, "loadgen-sweep");
    assertEquals("Indexed", job.getSpec().getCompletionMode());
    assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
    Manifests.PodTemplate pod =
        manifests.podTemplates().stream()
            .filter(p -> p.source().equals("Job loadgen-sweep"))
            .findFirst()
            .orElseThrow();
    Container container = pod.spec().getContainers().get(0);
    List<String> args = loadgenArgs(pod, container);
    CommandLine.ParseResult result = LoadgenCli.parse(args);
    assertEquals("profile", result.subcommand().commandSpec().name());

    Service service = manifests.one(Service.class, "loadgen-sim");
    assertEquals(
        service.getMetadata().getName() + ":" + service.getSpec().getPorts().get(0).getPort(),
        LoadgenCli.option(result, "-u"),
        "the Job profiles the Service by its DNS name and port");
    assertEquals(
        SimConfig.preset(simPreset()).build().modelName(),
        LoadgenCli.option(result, "-m"),
        "the Job asks for the model the simulator serves");
    assertTrue(
        result.subcommand().hasMatchedOption("--streaming"),
        "the Job measures every token: --streaming");
    List<String> levels = result.subcommand().matchedOption("--concurrency").stringValues();
    assertTrue(
        String.join(",", levels).split(",").length > 1, "a list of levels runs a sweep: " + levels);

    HorizontalPodAutoscaler hpa = manifests.all(HorizontalPodAutoscaler.class).get(0);
    BigDecimal target =
        hpa.getSpec()
            .getMetrics()
            .get(0)
            .getPods()
            .getTarget()
            .getAverageValue()
            .getNumericalAmount();
    assertEquals(
        0,
        target
            .multiply(BigDecimal.valueOf(100))
            .compareTo(new BigDecimal(LoadgenCli.option(result, "--kv-target"))),
        "--kv-target is the HPA's target in percent, so the sweep summary estimates where scaling starts");

    String artifactDir = LoadgenCli.option(result, "--artifact-dir");
    VolumeMount mount =
        container.getVolumeMounts().stream()
            .filter(m -> artifactDir.startsWith(m.getMountPath() + "/"))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "--artifact-dir " + artifactDir + " is on no mounted volume"));
    Volume volume = volume(pod, mount.getName());
    assertNotNull(volume.getPersistentVolumeClaim(), "artifacts outlive the Job's pod on a claim");
    manifests.one(PersistentVolumeClaim.class, volume.getPersistentVolumeClaim().getClaimName());
  }

  @Test
  void theSweepsPodsStartTogetherEachWithPromptsOfItsOwnAndTheMergeJobReadsEveryPodsFolder() {
    Job sweep = manifests.one(Job.class, "loadgen-sweep");
    int pods = sweep.getSpec().getCompletions();
    assertTrue(pods >= 2, "the sweep is split over pods: completions " + pods);
    assertEquals(pods, sweep.getSpec().getParallelism(), "every pod runs at once");
    Container container = sweep.getSpec().getTemplate().getSpec().getContainers().get(0);
    List<String> raw = container.getArgs();
    assertEquals(
        "$(LOADGEN_START_AT)",
        raw.get(raw.indexOf("--start-at") + 1),
        "every pod waits for one shared instant");
    assertEquals(
        "$(JOB_COMPLETION_INDEX)",
        raw.get(raw.indexOf("--random-seed") + 1),
        "each pod draws prompts of its own, so none is served from the others' prefix cache");
    Manifests.PodTemplate sweepPod = podTemplate("Job loadgen-sweep");
    CommandLine.ParseResult profile = LoadgenCli.parse(loadgenArgs(sweepPod, container));
    // The value as shipped parses as --start-at takes it (it is past: the pods start at once).
    java.time.Instant.parse(LoadgenCli.option(profile, "--start-at"));
    String artifactDir = raw.get(raw.indexOf("--artifact-dir") + 1);
    assertEquals("/artifacts/sweep-$(JOB_COMPLETION_INDEX)", artifactDir);

    Job merge = manifests.one(Job.class, "loadgen-merge");
    Manifests.PodTemplate mergePod = podTemplate("Job loadgen-merge");
    CommandLine.ParseResult result =
        LoadgenCli.parse(loadgenArgs(mergePod, mergePod.spec().getContainers().get(0)));
    assertEquals("merge", result.subcommand().commandSpec().name());
    List<String> inputs = result.subcommand().matchedPositional(0).stringValues();
    List<String> expected = new ArrayList<>();
    for (int index = 0; index < pods; index++) {
      expected.add(artifactDir.replace("$(JOB_COMPLETION_INDEX)", String.valueOf(index)));
    }
    assertEquals(expected, inputs, "the merge reads the folder of every index of the sweep");
    String output = LoadgenCli.option(result, "--output");
    assertFalse(inputs.contains(output), "the merge writes a folder of its own");
    assertEquals(
        sweep.getSpec().getTemplate().getSpec().getVolumes(),
        merge.getSpec().getTemplate().getSpec().getVolumes(),
        "the merge Job mounts the claim the sweep's pods wrote to");
    assertTrue(
        output.startsWith(
            mergePod.spec().getContainers().get(0).getVolumeMounts().get(0).getMountPath() + "/"),
        "--output " + output + " is on the claim");
  }

  private static Manifests.PodTemplate podTemplate(String source) {
    return manifests.podTemplates().stream()
        .filter(p -> p.source().equals(source))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + source));
  }

  @Test
  void theLoadgenPodWaitsForKubectlExecWithTheArtifactsClaimMounted() {
    Pod pod = manifests.one(Pod.class, "loadgen");
    Container container = pod.getSpec().getContainers().get(0);
    assertEquals(List.of("sleep", "infinity"), container.getCommand());
    Volume claim =
        pod.getSpec().getVolumes().stream()
            .filter(v -> v.getPersistentVolumeClaim() != null)
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("the pod mounts no claim to copy artifacts from"));
    Job job = manifests.one(Job.class, "loadgen-sweep");
    assertTrue(
        job.getSpec().getTemplate().getSpec().getVolumes().stream()
            .anyMatch(
                v ->
                    v.getPersistentVolumeClaim() != null
                        && v.getPersistentVolumeClaim()
                            .getClaimName()
                            .equals(claim.getPersistentVolumeClaim().getClaimName())),
        "the pod mounts the Job's artifacts claim, so kubectl cp reaches the Job's results");
    // The java that kubectl exec starts gets the image entrypoint's JVM flags.
    List<String> entrypoint = Dockerfile.execForm(dockerfile.runtime().last("ENTRYPOINT"));
    String jvmFlags = String.join(" ", entrypoint.subList(1, entrypoint.indexOf("-jar")));
    assertEquals(jvmFlags, env(container, "JDK_JAVA_OPTIONS").getValue());
  }

  @Test
  void everyPodMountingTheReadWriteOnceClaimIsScheduledBesideTheOthers() {
    int sharing = 0;
    for (Manifests.PodTemplate pod : manifests.podTemplates()) {
      List<String> claims =
          pod.spec().getVolumes().stream()
              .filter(v -> v.getPersistentVolumeClaim() != null)
              .map(v -> v.getPersistentVolumeClaim().getClaimName())
              .toList();
      for (String claimName : claims) {
        PersistentVolumeClaim claim = manifests.one(PersistentVolumeClaim.class, claimName);
        if (!claim.getSpec().getAccessModes().equals(List.of("ReadWriteOnce"))) {
          continue;
        }
        sharing++;
        var terms =
            pod.spec()
                .getAffinity()
                .getPodAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution();
        assertEquals(1, terms.size(), pod.source());
        assertEquals("kubernetes.io/hostname", terms.get(0).getTopologyKey(), pod.source());
        Map<String, String> selector = terms.get(0).getLabelSelector().getMatchLabels();
        // The pod matches its own term, which is what lets the first of them schedule anywhere.
        assertTrue(pod.labels().entrySet().containsAll(selector.entrySet()), pod.source());
      }
    }
    assertEquals(3, sharing, "the two Jobs and the loadgen pod share the artifacts claim");
  }

  @Test
  void everyPodRunsAsTheImagesNonRootUserWithAReadOnlyRootAndWritableCaches() {
    String user = dockerfile.runtime().last("USER").arguments().trim();
    long uid = Long.parseLong(user.split(":")[0]);
    Map<String, String> imageEnv = dockerfile.runtime().environment();
    for (Manifests.PodTemplate pod : manifests.podTemplates()) {
      PodSecurityContext podSecurity = pod.spec().getSecurityContext();
      assertNotNull(podSecurity, pod.source());
      assertEquals(Boolean.TRUE, podSecurity.getRunAsNonRoot(), pod.source());
      assertEquals(
          uid, podSecurity.getRunAsUser(), pod.source() + " runs as the image's USER " + user);
      assertEquals("RuntimeDefault", podSecurity.getSeccompProfile().getType(), pod.source());
      for (Container container : pod.spec().getContainers()) {
        SecurityContext security = container.getSecurityContext();
        assertNotNull(security, pod.source());
        assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), pod.source());
        assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), pod.source());
        assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), pod.source());
        assertNotEquals(Boolean.TRUE, security.getPrivileged(), pod.source());
        assertNotEquals(Boolean.FALSE, security.getRunAsNonRoot(), pod.source());
        assertTrue(
            security.getRunAsUser() == null || security.getRunAsUser() == uid,
            pod.source()
                + ": container "
                + container.getName()
                + " overrides the user with "
                + security.getRunAsUser());
        for (String cacheVariable : List.of("HF_HOME", "DJL_CACHE_DIR")) {
          String cache = imageEnv.get(cacheVariable);
          assertNotNull(cache, "the image sets " + cacheVariable);
          assertTrue(
              container.getVolumeMounts().stream()
                  .anyMatch(
                      m ->
                          cache.startsWith(m.getMountPath() + "/")
                              && !Boolean.TRUE.equals(m.getReadOnly())),
              pod.source()
                  + ": "
                  + cacheVariable
                  + "="
                  + cache
                  + " is on the read-only root file system");
        }
      }
    }
  }

  @Test
  void resourceRequestsCoverWhatTheBenchmarksMeasuredAndNoCpuLimitThrottlesTheEventLoop() {
    for (Manifests.PodTemplate pod : manifests.podTemplates()) {
      for (Container container : pod.spec().getContainers()) {
        String where = pod.source() + ", container " + container.getName();
        Map<String, Quantity> requests = container.getResources().getRequests();
        Map<String, Quantity> limits = container.getResources().getLimits();
        assertNotNull(requests, where);
        assertNotNull(limits, where);
        boolean isSim = pod.source().equals("Deployment loadgen-sim");
        // benchmarks/RESULTS.md: the client about one core at 25,000 tokens/s, the simulator half
        // of one.
        BigDecimal cpu = requests.get("cpu").getNumericalAmount();
        assertTrue(
            cpu.compareTo(new BigDecimal(isSim ? "0.5" : "1")) >= 0,
            where + " requests " + cpu + " CPU");
        assertNull(limits.get("cpu"), where + ": a CPU limit would stall it under CFS throttling");
        assertEquals(
            requests.get("memory"), limits.get("memory"), where + ": memory request = limit");
        assertTrue(
            Quantity.getAmountInBytes(limits.get("memory"))
                    .compareTo(BigDecimal.valueOf(512L << 20))
                >= 0,
            where);
      }
    }
  }

  // --- helpers

  /**
   * The arguments a container passes to loadgen: its args under the image's entrypoint, or what
   * follows the jar of a {@code java -jar} command; null for a container that runs something else.
   * {@code $(VAR)} references are expanded as the kubelet does, and must name a variable of the
   * container.
   */
  private static List<String> loadgenArgs(Manifests.PodTemplate pod, Container container) {
    List<String> command = container.getCommand() == null ? List.of() : container.getCommand();
    List<String> args = new ArrayList<>();
    if (command.isEmpty()) {
      args.addAll(container.getArgs());
    } else if (command.get(0).equals("java")) {
      int jar = command.indexOf("-jar");
      assertTrue(jar > 0 && jar + 1 < command.size(), pod.source() + ": java without -jar");
      assertEquals(imageJar(), command.get(jar + 1), pod.source());
      args.addAll(command.subList(jar + 2, command.size()));
      if (container.getArgs() != null) {
        args.addAll(container.getArgs());
      }
    } else {
      assertTrue(
          pod.source().startsWith("Pod "),
          pod.source()
              + " runs "
              + command
              + ": only a bare pod, kept for kubectl exec, may bypass loadgen");
      return null;
    }
    List<String> expanded = new ArrayList<>();
    for (String arg : args) {
      Matcher reference = ENV_REFERENCE.matcher(arg);
      StringBuilder out = new StringBuilder();
      while (reference.find()) {
        EnvVar variable = env(container, reference.group(1));
        // A downward-API value is known only in the cluster; the index of the first pod stands in.
        String value = variable.getValue() != null ? variable.getValue() : "0";
        reference.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      reference.appendTail(out);
      expanded.add(out.toString());
    }
    return expanded;
  }

  private static EnvVar env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("container " + container.getName() + " declares no " + name));
  }

  private static String imageJar() {
    List<String> entrypoint = Dockerfile.execForm(dockerfile.runtime().last("ENTRYPOINT"));
    return entrypoint.get(entrypoint.indexOf("-jar") + 1);
  }

  private static Container simContainer() {
    Deployment deployment = manifests.one(Deployment.class, "loadgen-sim");
    assertEquals(1, deployment.getSpec().getTemplate().getSpec().getContainers().size());
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static String simPreset() {
    String preset = LoadgenCli.option(LoadgenCli.parse(simContainer().getArgs()), "--preset");
    assertNotNull(preset, "the sim Deployment names its preset");
    assertTrue(SimConfig.PRESETS.contains(preset), preset + " is not one of " + SimConfig.PRESETS);
    return preset;
  }

  private static ContainerPort containerPort(Container container, String nameOrNumber) {
    return container.getPorts().stream()
        .filter(
            p ->
                nameOrNumber.equals(p.getName())
                    || nameOrNumber.equals(String.valueOf(p.getContainerPort())))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "container " + container.getName() + " has no port " + nameOrNumber));
  }

  private static Volume volume(Manifests.PodTemplate pod, String name) {
    return pod.spec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError(pod.source() + " mounts an undeclared volume " + name));
  }

  private static JsonNode serviceMonitor() {
    return manifests.manifests().stream()
        .filter(m -> m.object().getKind().equals("ServiceMonitor"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ServiceMonitor"))
        .tree();
  }

  private static JsonNode adapterRules() {
    ConfigMap config = manifests.one(ConfigMap.class, "adapter-config");
    JsonNode rules = Manifests.readYaml(config.getData().get("config.yaml")).path("rules");
    assertTrue(rules.isArray() && rules.size() > 0, "the adapter config has no rules");
    return rules;
  }

  /** The Prometheus series a rule's seriesQuery selects by {@code __name__}. */
  private static String seriesName(JsonNode rule) {
    Matcher name = SERIES_NAME.matcher(rule.path("seriesQuery").asText());
    assertTrue(name.find(), "seriesQuery selects no __name__: " + rule.path("seriesQuery"));
    return name.group(1);
  }

  /**
   * The custom metric name the adapter serves for a rule: name.matches applied, name.as
   * substituted.
   */
  static String exposedName(JsonNode rule) {
    String series = seriesName(rule);
    Matcher matcher = Pattern.compile(rule.path("name").path("matches").asText()).matcher(series);
    assertTrue(matcher.find(), "name.matches does not match " + series);
    String as = rule.path("name").path("as").asText("");
    if (as.isEmpty()) {
      return matcher.groupCount() > 0 ? matcher.group(1) : series;
    }
    // Go's regexp expansion: $1 or ${1}.
    Matcher group = Pattern.compile("\\$\\{?(\\d+)}?").matcher(as);
    StringBuilder out = new StringBuilder();
    while (group.find()) {
      group.appendReplacement(
          out, Matcher.quoteReplacement(matcher.group(Integer.parseInt(group.group(1)))));
    }
    group.appendTail(out);
    return out.toString();
  }

  /**
   * The metric names in a Prometheus text exposition (the sample lines' names, counters' _total
   * included).
   */
  static Set<String> metricNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = line.length();
      for (char stop : new char[] {'{', ' '}) {
        int at = line.indexOf(stop);
        if (at >= 0) {
          end = Math.min(end, at);
        }
      }
      names.add(line.substring(0, end));
    }
    return names;
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(sim.baseUri() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Walks fabric8's model by its getters and records every non-empty additionalProperties. */
  private static void collectUnknownFields(
      Object value, String path, List<String> found, int depth) {
    if (value == null || depth > 40) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        collectUnknownFields(item, path + "[" + i++ + "]", found, depth + 1);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> collectUnknownFields(v, path + "." + k, found, depth + 1));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model.")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class
          || getter.getReturnType().isPrimitive()) {
        continue;
      }
      Object property;
      try {
        property = getter.invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (property instanceof Map<?, ?> extra && !extra.isEmpty()) {
          found.add(path + ": " + extra.keySet());
        }
      } else {
        String name =
            Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
        collectUnknownFields(property, path + "." + name, found, depth + 1);
      }
    }
  }
}
