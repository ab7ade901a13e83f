const app = getApp();

// Great-circle distance in kilometres, rounded to one decimal.
function distance(a, b) {
  const rad = (deg) => deg * Math.PI / 180;
  const h = Math.sin(rad(b.latitude - a.latitude) / 2) ** 2
    + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(rad(b.longitude - a.longitude) / 2) ** 2;
  return Math.round(12742 * Math.asin(Math.sqrt(h)) * 10) / 10;
}

Page({
  data: { stores: [], brandColor: '' },
  onLoad() {
    const { stores, brandColor, brandName } = app.settings;
    my.setNavigationBar({ title: brandName });
    const listed = stores.map((store, index) => Object.assign({ index }, store));
    this.setData({ stores: listed, brandColor });
    my.getLocation({
      success: (here) => this.setData({
        stores: listed.map((store) => Object.assign({ distance: distance(here, store) }, store))
          .sort((a, b) => a.distance - b.distance)
      })
    });
  }
});
