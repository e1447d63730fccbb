package org.adpo.eval.plot;

/**
 * The few drawing operations a chart needs, in pixel coordinates of one panel (origin top left).
 * {@link ChartPainter} draws through it, so the SVG and the PNG show the same geometry.
 */
interface Canvas {
  enum Anchor { START, MIDDLE, END }

  void line(double x1, double y1, double x2, double y2, int rgb, double width, boolean dashed);

  void polyline(double[] xs, double[] ys, int n, int rgb, double width);

  void dot(double cx, double cy, double r, int rgb);

  /** A filled polygon (the point markers other than the circle). */
  void polygon(double[] xs, double[] ys, int rgb);

  /** Text rotated a quarter turn counter-clockwise, centred on (x, y) along its baseline (the y-axis label). */
  void textUp(double x, double y, String s, double size, int rgb);

  void rect(double x, double y, double w, double h, int strokeRgb);

  void text(double x, double y, String s, double size, Anchor anchor, boolean bold, int rgb);
}
