package io.loadgen.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerResolverTest {
  private static final String REPO = "org/name";
  private static final String REPO_FOLDER = "models--org--name";
  private static final String RESOLVE_MAIN = "/org/name/resolve/main/tokenizer.json";
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  private static final String OTHER_COMMIT = "fedcba9876543210fedcba9876543210fedcba98";
  private static final String ETAG = "8a3f0c55d1e2b7a9c4f6e0d1b2a3c4d5e6f70819";
  private static final String SECRET = "hf_SECRET123";

  private static byte[] gpt2;

  @TempDir Path temp;
  private FakeHub hub;

  @BeforeAll
  static void readBundledTokenizer() throws IOException {
    try (InputStream in = TokenizerResolverTest.class.getResourceAsStream("gpt2/tokenizer.json")) {
      gpt2 = in.readAllBytes();
    }
  }

  @AfterEach
  void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  // --- the cache -------------------------------------------------------------------------------

  @Test
  void repoIdResolvesToTheSnapshotThatRefsMainPointsAt() throws IOException {
    Path root = temp.resolve("hub");
    cache(root, COMMIT, "main");
    cache(root, OTHER_COMMIT);

    Path found = resolver(offline(Map.of("HF_HUB_CACHE", root.toString()))).resolve(REPO, null);

    assertEquals(snapshotFile(root, COMMIT), found);
    assertArrayEquals(gpt2, Files.readAllBytes(found));
  }

  @Test
  void revisionNameResolvesThroughItsOwnRef() {
    Path root = temp.resolve("hub");
    cache(root, COMMIT, "main");
    cache(root, OTHER_COMMIT, "v1.0");

    Path found = resolver(offline(Map.of("HF_HUB_CACHE", root.toString()))).resolve(REPO, "v1.0");

    assertEquals(snapshotFile(root, OTHER_COMMIT), found);
  }

  @Test
  void commitHashResolvesToItsSnapshotWithoutAnyRef() {
    Path root = temp.resolve("hub");
    cache(root, COMMIT);
    cache(root, OTHER_COMMIT);

    TokenizerResolver resolver = resolver(offline(Map.of("HF_HUB_CACHE", root.toString())));

    assertEquals(snapshotFile(root, OTHER_COMMIT), resolver.resolve(REPO, OTHER_COMMIT));
    assertEquals(
        snapshotFile(root, OTHER_COMMIT), resolver.resolve(REPO, OTHER_COMMIT.toUpperCase()));
  }

  @Test
  void cacheRootIsHfHubCacheThenHfHomeHubThenTheHomeCache() {
    Path hubCache = temp.resolve("hub-cache");
    Path hfHome = temp.resolve("hf-home");
    Path home = temp.resolve("home");
    String commitInHubCache = "1".repeat(40);
    String commitInHfHome = "2".repeat(40);
    String commitInHome = "3".repeat(40);
    cache(hubCache, commitInHubCache, "main");
    cache(hfHome.resolve("hub"), commitInHfHome, "main");
    cache(home.resolve(".cache/huggingface/hub"), commitInHome, "main");

    Map<String, String> both =
        offline(Map.of("HF_HUB_CACHE", hubCache.toString(), "HF_HOME", hfHome.toString()));
    Map<String, String> hfHomeOnly = offline(Map.of("HF_HOME", hfHome.toString()));

    assertEquals(
        snapshotFile(hubCache, commitInHubCache),
        TokenizerResolver.of(both, home).resolve(REPO, null));
    assertEquals(
        snapshotFile(hfHome.resolve("hub"), commitInHfHome),
        TokenizerResolver.of(hfHomeOnly, home).resolve(REPO, null));
    assertEquals(
        snapshotFile(home.resolve(".cache/huggingface/hub"), commitInHome),
        TokenizerResolver.of(offline(Map.of()), home).resolve(REPO, null));
  }

  @Test
  void theOnlySnapshotServesTheDefaultRevisionWhenRefsMainIsMissing() {
    Path root = temp.resolve("hub");
    cache(root, COMMIT);

    assertEquals(
        snapshotFile(root, COMMIT),
        resolver(offline(Map.of("HF_HUB_CACHE", root.toString()))).resolve(REPO, null));
  }

  @Test
  void aNamedRevisionOrOneOfSeveralSnapshotsIsNeverGuessed() {
    Path root = temp.resolve("hub");
    cache(root, COMMIT);
    TokenizerResolver oneSnapshot = resolver(offline(Map.of("HF_HUB_CACHE", root.toString())));
    assertThrows(TokenizerException.class, () -> oneSnapshot.resolve(REPO, "v1.0"));

    cache(root, OTHER_COMMIT);
    TokenizerResolver twoSnapshots = resolver(offline(Map.of("HF_HUB_CACHE", root.toString())));
    assertThrows(TokenizerException.class, () -> twoSnapshots.resolve(REPO, null));
  }

  // --- paths -----------------------------------------------------------------------------------

  @Test
  void aTokenizerFileOrAFolderHoldingOneResolvesToThatFile() throws IOException {
    Path folder = Files.createDirectories(temp.resolve("my-model"));
    Path file = Files.write(folder.resolve("tokenizer.json"), gpt2);
    Path renamed = Files.write(temp.resolve("llama.json"), gpt2);
    TokenizerResolver resolver =
        resolver(offline(Map.of("HF_HUB_CACHE", temp.resolve("hub").toString())));

    assertEquals(file, resolver.resolve(folder.toString(), null));
    assertEquals(file, resolver.resolve(file.toString(), "ignored-for-paths"));
    assertEquals(renamed, resolver.resolve(renamed.toString(), null));
  }

  @Test
  void aMissingJsonFileIsReportedAsAMissingPathNotAsAMissingRepo() {
    hub = FakeHub.start();
    TokenizerResolver resolver =
        resolver(Map.of("HF_ENDPOINT", hub.url(), "HF_HUB_CACHE", temp.toString()));

    TokenizerException e =
        assertThrows(
            TokenizerException.class, () -> resolver.resolve("no-such-tokenizer.json", null));

    assertTrue(
        e.getMessage().startsWith("tokenizer 'no-such-tokenizer.json' not found"), e.getMessage());
    assertTrue(e.getMessage().contains("looked for "), e.getMessage());
    assertEquals(List.of(), hub.requests());
  }

  // --- failures without the Hub ----------------------------------------------------------------

  @Test
  void offlineMissIsOneLineNamingTheSnapshotsFolderAndHowToPassAPath() {
    Path root = temp.resolve("hub");
    TokenizerResolver resolver = resolver(offline(Map.of("HF_HUB_CACHE", root.toString())));

    TokenizerException e =
        assertThrows(TokenizerException.class, () -> resolver.resolve(REPO, null));

    assertEquals(
        "tokenizer 'org/name' is not in the Hugging Face cache (looked in "
            + root.resolve(REPO_FOLDER).resolve("snapshots")
            + ") and could not be downloaded"
            + " (HF_HUB_OFFLINE is set): pass --tokenizer a path to a tokenizer.json or to a folder"
            + " holding one",
        e.getMessage());
  }

  @Test
  void unreachableHubIsReportedWithItsAddressOnOneLine() throws IOException {
    String endpoint = "http://127.0.0.1:" + closedPort();
    TokenizerResolver resolver =
        resolver(Map.of("HF_ENDPOINT", endpoint, "HF_HUB_CACHE", temp.toString()));

    TokenizerException e =
        assertThrows(TokenizerException.class, () -> resolver.resolve(REPO, null));

    assertTrue(
        e.getMessage().contains("could not be downloaded (" + endpoint + " unreachable: "),
        e.getMessage());
    assertTrue(
        e.getMessage().contains(temp.resolve(REPO_FOLDER).resolve("snapshots").toString()),
        e.getMessage());
    assertTrue(
        e.getMessage()
            .endsWith("pass --tokenizer a path to a tokenizer.json or to a folder holding one"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void aRevisionThatCouldLeaveTheCacheIsRefusedWithoutAskingTheHub() {
    hub = FakeHub.start();
    TokenizerResolver resolver =
        resolver(Map.of("HF_ENDPOINT", hub.url(), "HF_HUB_CACHE", temp.toString()));

    TokenizerException e =
        assertThrows(TokenizerException.class, () -> resolver.resolve(REPO, "../../etc"));

    assertTrue(e.getMessage().contains("--tokenizer-revision"), e.getMessage());
    assertEquals(List.of(), hub.requests());
  }

  // --- downloads -------------------------------------------------------------------------------

  @Test
  void downloadWritesBlobSnapshotLinkAndRefAsHuggingFaceHubDoesAndSendsTheBearerToken()
      throws IOException {
    hub =
        FakeHub.start()
            .answer(
                RESOLVE_MAIN,
                200,
                Map.of("X-Repo-Commit", COMMIT, "ETag", "\"" + ETAG + "\""),
                gpt2);
    Path root = temp.resolve("hub");
    TokenizerResolver resolver = resolver(hubEnv(root, "HF_TOKEN", SECRET));

    Path found = resolver.resolve(REPO, null);

    Path repo = root.resolve(REPO_FOLDER);
    assertEquals(snapshotFile(root, COMMIT), found);
    assertArrayEquals(gpt2, Files.readAllBytes(repo.resolve("blobs").resolve(ETAG)));
    assertTrue(Files.isSymbolicLink(found));
    assertEquals(Path.of("..", "..", "blobs", ETAG), Files.readSymbolicLink(found));
    assertEquals(COMMIT, Files.readString(repo.resolve("refs/main")));
    assertEquals(
        List.of(repo.resolve("blobs").resolve(ETAG), repo.resolve("refs/main"), found),
        filesIn(repo));
    assertEquals(List.of(new FakeHub.Request(RESOLVE_MAIN, "Bearer " + SECRET)), hub.requests());
  }

  @Test
  void aSecondResolveIsServedFromTheCacheWithoutAskingTheHub() {
    hub =
        FakeHub.start()
            .answer(
                RESOLVE_MAIN,
                200,
                Map.of("X-Repo-Commit", COMMIT, "ETag", "\"" + ETAG + "\""),
                gpt2);
    Map<String, String> env = hubEnv(temp.resolve("hub"), null, null);

    Path first = resolver(env).resolve(REPO, null);
    Path second = resolver(env).resolve(REPO, null);

    assertEquals(first, second);
    assertEquals(1, hub.requests().size());
  }

  @Test
  void aCdnRedirectKeepsTheHubsCommitAndLinkedEtagAndNeverGetsTheToken() throws IOException {
    String linkedEtag = "b".repeat(64);
    FakeHub cdn = FakeHub.start().answer("/blob", 200, Map.of("ETag", "\"cdn-etag\""), gpt2);
    try (cdn) {
      hub =
          FakeHub.start()
              .answer(
                  RESOLVE_MAIN,
                  302,
                  Map.of(
                      "X-Repo-Commit",
                      COMMIT,
                      "X-Linked-Etag",
                      "\"" + linkedEtag + "\"",
                      "ETag",
                      "\"pointer-etag\"",
                      "Location",
                      cdn.url() + "/blob"),
                  new byte[0]);
      Path root = temp.resolve("hub");

      Path found = resolver(hubEnv(root, "HF_TOKEN", SECRET)).resolve(REPO, null);

      assertEquals(snapshotFile(root, COMMIT), found);
      assertEquals(Path.of("..", "..", "blobs", linkedEtag), Files.readSymbolicLink(found));
      assertArrayEquals(gpt2, Files.readAllBytes(found));
      assertEquals(List.of(new FakeHub.Request(RESOLVE_MAIN, "Bearer " + SECRET)), hub.requests());
      assertEquals(List.of(new FakeHub.Request("/blob", null)), cdn.requests());
    }
  }

  @Test
  void aDownloadByCommitHashWritesNoRef() throws IOException {
    hub =
        FakeHub.start()
            .answer("/org/name/resolve/" + COMMIT + "/tokenizer.json", 200, Map.of(), gpt2);
    Path root = temp.resolve("hub");

    Path found = resolver(hubEnv(root, null, null)).resolve(REPO, COMMIT);

    // Without X-Repo-Commit or ETag, the revision names the snapshot and the content's hash the
    // blob.
    assertEquals(snapshotFile(root, COMMIT), found);
    assertEquals(
        Path.of("..", "..", "blobs", HubNames.sha256Hex(gpt2)), Files.readSymbolicLink(found));
    assertFalse(Files.exists(root.resolve(REPO_FOLDER).resolve("refs")));
  }

  @Test
  void hostileCommitAndEtagHeadersCannotNameFilesOutsideTheRepoFolder() throws IOException {
    hub =
        FakeHub.start()
            .answer(
                RESOLVE_MAIN,
                200,
                Map.of("X-Repo-Commit", "../../../escaped", "ETag", "\"../../../escaped\""),
                gpt2);
    Path root = temp.resolve("hub");

    Path found = resolver(hubEnv(root, null, null)).resolve(REPO, null);

    String hash = HubNames.sha256Hex(gpt2);
    assertEquals(snapshotFile(root, hash), found);
    assertEquals(Path.of("..", "..", "blobs", hash), Files.readSymbolicLink(found));
    try (Stream<Path> all = Files.walk(temp)) {
      assertTrue(all.noneMatch(p -> p.getFileName().toString().equals("escaped")));
    }
  }

  @Test
  void theOlderTokenVariableIsSentWhenHfTokenIsUnset() {
    hub = FakeHub.start().answer(RESOLVE_MAIN, 200, Map.of("X-Repo-Commit", COMMIT), gpt2);

    resolver(hubEnv(temp.resolve("hub"), "HUGGING_FACE_HUB_TOKEN", SECRET)).resolve(REPO, null);

    assertEquals("Bearer " + SECRET, hub.requests().get(0).authorization());
  }

  @Test
  void unauthorizedAnswerNamesHfTokenAndNeverShowsTheToken() {
    // A server that echoes what it got must not get the token into the message either.
    hub =
        FakeHub.start()
            .answer(
                RESOLVE_MAIN,
                401,
                Map.of("X-Error-Code", "GatedRepo"),
                ("Access to model org/name is restricted; your token "
                        + SECRET
                        + " is not authorized")
                    .getBytes());
    TokenizerResolver resolver = resolver(hubEnv(temp.resolve("hub"), "HF_TOKEN", SECRET));

    TokenizerException e =
        assertThrows(TokenizerException.class, () -> resolver.resolve(REPO, null));

    assertEquals("Bearer " + SECRET, hub.requests().get(0).authorization());
    assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
    assertTrue(e.getMessage().contains("gated or private"), e.getMessage());
    assertTrue(e.getMessage().contains("HF_TOKEN"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(SECRET), t.toString());
      assertFalse(t.toString().contains(SECRET));
    }
    assertFalse(resolver.toString().contains(SECRET), resolver.toString());
    assertFalse(HubSettings.from(Map.of("HF_TOKEN", SECRET), temp).toString().contains(SECRET));
  }

  @Test
  void forbiddenAnswerWithoutATokenSaysToSetHfToken() {
    hub = FakeHub.start().answer(RESOLVE_MAIN, 403, Map.of(), new byte[0]);

    TokenizerException e =
        assertThrows(
            TokenizerException.class,
            () -> resolver(hubEnv(temp.resolve("hub"), null, null)).resolve(REPO, null));

    assertTrue(
        e.getMessage().contains("HTTP 403: the model is gated or private; set HF_TOKEN to a token"),
        e.getMessage());
  }

  @Test
  void notFoundAnswerSaysThereIsNoSuchRepoRevisionOrTokenizerJson() {
    hub = FakeHub.start();
    Path root = temp.resolve("hub");

    TokenizerException e =
        assertThrows(
            TokenizerException.class, () -> resolver(hubEnv(root, null, null)).resolve(REPO, "v9"));

    assertEquals(
        "tokenizer 'org/name' at revision 'v9' is not in the Hugging Face cache (looked in "
            + root.resolve(REPO_FOLDER).resolve("snapshots")
            + ") and could not be downloaded ("
            + hub.url()
            + " answered HTTP 404: there is no repo 'org/name', no revision 'v9' or no tokenizer.json in it):"
            + " pass --tokenizer a path to a tokenizer.json or to a folder holding one",
        e.getMessage());
    assertEquals(
        List.of(new FakeHub.Request("/org/name/resolve/v9/tokenizer.json", null)), hub.requests());
    assertFalse(
        Files.exists(root.resolve(REPO_FOLDER)), "a failed download leaves nothing in the cache");
  }

  // --- helpers ---------------------------------------------------------------------------------

  private TokenizerResolver resolver(Map<String, String> env) {
    return TokenizerResolver.of(env, temp.resolve("home"));
  }

  private static Map<String, String> offline(Map<String, String> env) {
    Map<String, String> withOffline = new HashMap<>(env);
    withOffline.put("HF_HUB_OFFLINE", "1");
    return withOffline;
  }

  private Map<String, String> hubEnv(Path root, String tokenVariable, String token) {
    Map<String, String> env =
        new HashMap<>(Map.of("HF_ENDPOINT", hub.url(), "HF_HUB_CACHE", root.toString()));
    if (tokenVariable != null) {
      env.put(tokenVariable, token);
    }
    return env;
  }

  /**
   * Puts the GPT-2 tokenizer in the cache at {@code root} as huggingface_hub would, at {@code
   * commit}.
   */
  private static void cache(Path root, String commit, String... refs) {
    try {
      Path repo = root.resolve(REPO_FOLDER);
      String blobName = HubNames.sha256Hex((commit + "blob").getBytes());
      Files.createDirectories(repo.resolve("blobs"));
      Files.write(repo.resolve("blobs").resolve(blobName), gpt2);
      Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(commit));
      Files.createSymbolicLink(
          snapshot.resolve("tokenizer.json"), Path.of("..", "..", "blobs", blobName));
      for (String ref : refs) {
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs").resolve(ref), commit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path snapshotFile(Path root, String commit) {
    return root.toAbsolutePath()
        .resolve(REPO_FOLDER)
        .resolve("snapshots")
        .resolve(commit)
        .resolve("tokenizer.json");
  }

  /**
   * Every file and link below {@code folder}, sorted: temporary files left behind would show here.
   */
  private static List<Path> filesIn(Path folder) throws IOException {
    try (Stream<Path> all = Files.walk(folder)) {
      return all.filter(p -> !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .sorted()
          .toList();
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
