package org.jbia.common.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;
import org.jbia.common.schema.InvalidSpecException;
import org.junit.jupiter.api.Test;

class PreviewGridTest {

    private static ImageStack lenses() {
        String root = System.getProperty("bia.project.root", ".");
        return Npy.read(Path.of(root).resolve("../shared/data/lenses.npy").normalize());
    }

    @Test
    void robustLimitsAreMedianMinusThreeAndPlusTenMad() {
        // values 1..9 and an outlier: median 5.5, |x - 5.5| sorted -> MAD 2.5
        float[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 1000, Float.NaN};
        PreviewGrid.Limits l = PreviewGrid.robustLimits(v);
        // finite values: 1..9, 1000 -> median 5.5; deviations 0.5,0.5,1.5,1.5,2.5,2.5,3.5,3.5,4.5,994.5 -> 2.5
        assertThat(l.low()).isCloseTo(5.5 - 3 * 2.5, within(1e-9));
        assertThat(l.high()).isCloseTo(5.5 + 10 * 2.5, within(1e-9));
    }

    @Test
    void flatImagesStillGetARange() {
        PreviewGrid.Limits l = PreviewGrid.robustLimits(new float[] {3, 3, 3});
        assertThat(l.low()).isLessThan(3);
        assertThat(l.high()).isGreaterThan(3);
    }

    @Test
    void gridHasOneTilePerImageAndGreyFollowsTheLimits() throws IOException {
        // image n is flat at value n: with limits [0, 3] tile n is grey level 85·n
        ImageStack flat = ImageStack.zeros(4, 5, 6, 1);
        for (int n = 0; n < 4; n++) {
            java.util.Arrays.fill(flat.pixels(), n * 30, (n + 1) * 30, n);
        }
        PreviewGrid.Options o = PreviewGrid.Options.defaults().withLimits(0.0, 3.0).withLayout(2, 3);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(PreviewGrid.png(flat, o)));
        // 2 columns of 6·3 px and 2 rows of 5·3 px, with 2 px gaps
        assertThat(img.getWidth()).isEqualTo(2 * 18 + 3 * 2);
        assertThat(img.getHeight()).isEqualTo(2 * 15 + 3 * 2);
        for (int n = 0; n < 4; n++) {
            int x = 2 + (n % 2) * 20 + 8;
            int y = 2 + (n / 2) * 17 + 7;
            int grey = 85 * n;
            assertThat(img.getRGB(x, y) & 0xFFFFFF).as("tile %d", n).isEqualTo(grey << 16 | grey << 8 | grey);
        }
    }

    @Test
    void aStepShowsEveryStepthImageUntilTheClassEnds() throws IOException {
        // 7 flat images, image n at value n (grey 51·n with limits [0, 5]); step 3 from image 1 shows images 1 and 4 (7 would be past the end)
        ImageStack flat = ImageStack.zeros(7, 2, 2, 1);
        for (int n = 0; n < 7; n++) {
            java.util.Arrays.fill(flat.pixels(), n * 4, (n + 1) * 4, n);
        }
        PreviewGrid.Options o = PreviewGrid.Options.defaults().withRange(1, 5).withStep(3).withLimits(0.0, 5.0)
                .withLayout(0, 1);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(PreviewGrid.png(flat, o)));
        // two tiles of 2 px side by side with 2 px gaps
        assertThat(img.getWidth()).isEqualTo(2 * 2 + 3 * 2);
        assertThat(img.getHeight()).isEqualTo(2 + 2 * 2);
        assertThat(img.getRGB(2, 2) & 0xFF).as("first tile: image 1").isEqualTo(51);
        assertThat(img.getRGB(6, 2) & 0xFF).as("second tile: image 4").isEqualTo(204);
    }

    @Test
    void compositeMapsTheRedderBandToRed() {
        // band 2 (i) bright, band 0 (g) faint: the tile must be red-dominated
        ImageStack img = new ImageStack(1, 2, 2, 3, new float[] {0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        BufferedImage grid = PreviewGrid.render(img,
                PreviewGrid.Options.defaults().withBand(null).withLimits(0.0, 10.0).withLayout(1, 1));
        int rgb = grid.getRGB(2, 2);
        assertThat(rgb >> 16 & 0xFF).isEqualTo(255);
        assertThat(rgb >> 8 & 0xFF).isZero();
        assertThat(rgb & 0xFF).isZero();
        assertThat(grid.getRGB(3, 3) & 0xFFFFFF).isZero();
    }

    @Test
    void badOptionsAreNamed() {
        ImageStack one = ImageStack.zeros(3, 4, 4, 1);
        assertThatThrownBy(() -> PreviewGrid.png(one, PreviewGrid.Options.defaults().withBand(1)))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("band = 1")
                .hasMessageContaining("must lie in [0, 0]");
        assertThatThrownBy(() -> PreviewGrid.png(one, PreviewGrid.Options.defaults().withBand(null)))
                .hasMessageContaining("band = 'all'").hasMessageContaining("needs 3 bands");
        assertThatThrownBy(() -> PreviewGrid.png(one, PreviewGrid.Options.defaults().withLimits(2.0, 1.0)))
                .hasMessageContaining("vmax = 1.0").hasMessageContaining("> vmin = 2.0");
        assertThatThrownBy(() -> PreviewGrid.png(one, PreviewGrid.Options.defaults().withRange(3, 1)))
                .hasMessageContaining("first = 3").hasMessageContaining("[0, 2]");
        assertThatThrownBy(() -> PreviewGrid.png(one, PreviewGrid.Options.defaults().withStep(0)))
                .hasMessageContaining("step = 0").hasMessageContaining("must be >= 1");
        assertThatThrownBy(() -> PreviewGrid.png(one, PreviewGrid.Options.defaults().withLayout(0, 0)))
                .hasMessageContaining("scale = 0").hasMessageContaining("[1, 16]");
    }

    /** Writes previews of the augmented lenses for a human to look at, when asked to. */
    @Test
    void lensPreviewsRender() throws IOException {
        ImageStack lenses = lenses();
        ImageStack positives = org.jbia.common.data.CenterCrop.crop(lenses, 67);
        byte[] grey = PreviewGrid.png(positives, PreviewGrid.Options.defaults());
        byte[] colour = PreviewGrid.png(positives, PreviewGrid.Options.defaults().withBand(null));
        assertThat(ImageIO.read(new ByteArrayInputStream(grey)).getWidth()).isEqualTo(4 * 134 + 5 * 2);
        assertThat(ImageIO.read(new ByteArrayInputStream(colour)).getHeight()).isEqualTo(4 * 134 + 5 * 2);
        String dir = System.getProperty("bia.preview.dir");
        if (dir != null) {
            Files.write(Path.of(dir, "lenses-band0.png"), grey);
            Files.write(Path.of(dir, "lenses-colour.png"), colour);
        }
    }
}
