package io.loadgen.report;

import java.awt.image.BufferedImage;

/** What a drawn chart shows, counted off its pixels, for tests that check a chart is not blank. */
final class ChartPixels {
  private ChartPixels() {}

  /** Pixels whose channels differ: the data's colours, not the axes, text and grid. */
  static int coloured(BufferedImage image) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 40) {
          count++;
        }
      }
    }
    return count;
  }
}
