package io.loadgen.cli.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The build's POMs, read with XPath (namespaces off, so paths read as the POM is written). The
 * image tests take from here what the build produces: the shaded jar's name, the modules, and the
 * Jib profile's image configuration.
 */
final class Poms {
  private final Document document;
  private final XPath xpath = XPathFactory.newInstance().newXPath();

  private Poms(Document document) {
    this.document = document;
  }

  static Poms read(Path pom) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(false);
      return new Poms(factory.newDocumentBuilder().parse(pom.toFile()));
    } catch (Exception e) {
      throw new AssertionError("cannot read " + pom + ": " + e, e);
    }
  }

  static Poms parent() {
    return read(Manifests.root().resolve("pom.xml"));
  }

  static Poms cli() {
    return read(Manifests.root().resolve("loadgen-cli/pom.xml"));
  }

  /** The trimmed text at {@code path}, or "" when there is none. */
  String text(String path) {
    try {
      return ((String) xpath.evaluate(path, document, XPathConstants.STRING)).trim();
    } catch (XPathExpressionException e) {
      throw new IllegalArgumentException(path, e);
    }
  }

  List<String> texts(String path) {
    try {
      NodeList nodes = (NodeList) xpath.evaluate(path, document, XPathConstants.NODESET);
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < nodes.getLength(); i++) {
        texts.add(nodes.item(i).getTextContent().trim());
      }
      return texts;
    } catch (XPathExpressionException e) {
      throw new IllegalArgumentException(path, e);
    }
  }

  /** The file the shade plugin writes in loadgen-cli/target: its finalName plus ".jar". */
  String shadedJarName() {
    String finalName =
        text(
            "/project/build/plugins/plugin[artifactId='maven-shade-plugin']"
                + "/executions/execution/configuration/finalName");
    if (finalName.isEmpty()) {
      throw new AssertionError("loadgen-cli's shade plugin no longer names its jar");
    }
    return finalName + ".jar";
  }

  /** XPath prefix of the jib-maven-plugin in the {@code jib} profile. */
  static final String JIB =
      "/project/profiles/profile[id='jib']/build/plugins/plugin[artifactId='jib-maven-plugin']";
}
